"""Django's `flush`, except that it leaves the audit log and its chain head alone.

The database refuses to empty the audit table (DELETE on SQLite, TRUNCATE on PostgreSQL), so a
plain flush would fail there; tests that need a flush (pytest-django's transactional tests) and
anyone resetting a database get every other table emptied and the audit log kept, still whole."""

from typing import Any

from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.management.commands import flush
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections

from carecommons.audit.models import AuditEvent, ChainHead

KEPT = {AuditEvent._meta.db_table, ChainHead._meta.db_table}


class Command(flush.Command):
    help = "Empty every table except the audit log and its chain head, which are kept whole."

    def handle(self, **options: Any) -> None:
        database = options["database"]
        connection = connections[database]
        tables = [
            table
            for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
            if table not in KEPT
        ]
        sql_list = connection.ops.sql_flush(
            no_style(),
            tables,
            reset_sequences=options.get("reset_sequences", True),
            allow_cascade=options.get("allow_cascade", False),
        )
        if options["interactive"]:
            answer = input(
                f'This will IRREVERSIBLY DESTROY all data in the "{connection.settings_dict["NAME"]}" '
                "database except the audit log.\nType 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                self.stdout.write("Flush cancelled.")
                return
        try:
            connection.ops.execute_sql_flush(sql_list)
        except Exception as exc:
            raise CommandError(
                f"Database {connection.settings_dict['NAME']} couldn't be flushed: {exc}"
            ) from exc
        if sql_list and not options.get("inhibit_post_migrate", False):
            emit_post_migrate_signal(options["verbosity"], options["interactive"], database)
