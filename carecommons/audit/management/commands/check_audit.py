from typing import Any

from django.core.management.base import BaseCommand, CommandError

from carecommons.audit.integrity import chain_problem, latest_head, missing_triggers


class Command(BaseCommand):
    help = (
        "Check that no audit event was removed or changed (the hash chain holds from the first "
        "event to the newest) and that the database still refuses changes to the audit table."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = []
        broken = chain_problem()
        if broken:
            problems.append(f"The audit log was tampered with: {broken}")
        missing = missing_triggers()
        if missing:
            problems.append(
                "The database no longer refuses changes to the audit log: "
                f"trigger(s) {', '.join(missing)} missing or disabled."
            )
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found in the audit log.")
        if options["verbosity"] > 0:
            seq, digest = latest_head()
            self.stdout.write(
                f"The audit log is whole: {seq} events, each chained to the one before. "
                f"Newest hash: {digest} (keep a copy elsewhere to detect a rewrite of the whole log)."
            )
