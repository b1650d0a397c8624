import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from carecommons.audit.services import record_event
from carecommons.people.management.commands._person_lookup import person_named
from carecommons.people.own_data import OwnData, collect


def as_text(data: OwnData) -> str:
    lines = [
        f"Everything Care Commons holds about person {data.person_uuid}",
        f"Made {data.generated_at}",
        "",
    ]

    def walk(value: Any, indent: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, dict | list) and item:
                    lines.append(f"{indent}{key.replace('_', ' ')}:")
                    walk(item, indent + "  ")
                else:
                    lines.append(f"{indent}{key.replace('_', ' ')}: {'' if item is None else item}")
        elif isinstance(value, list):
            for item in value:
                walk(item, indent + "- " if not isinstance(item, dict) else indent + "  ")
                if isinstance(item, dict):
                    lines.append("")
        else:
            lines.append(f"{indent}{value}")

    for section in data.sections:
        lines += [section.title.upper(), *([section.note] if section.note else [])]
        if section.rows:
            walk(section.rows, "")
        else:
            lines.append("Nothing held.")
        lines.append("")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Everything held about one person (a subject access request), as JSON or plain text."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="Their email address or id (uuid).")
        parser.add_argument("--format", choices=["json", "text"], default="json")
        parser.add_argument("--output", help="Write to this file instead of the screen.")

    def handle(self, *args: Any, **options: Any) -> None:
        person = person_named(options["person"])
        record_event(
            actor=None, action="person.own_data_exported", target=person, detail={"format": options["format"]}
        )
        data = collect(person)
        if options["format"] == "json":
            text = json.dumps(data.as_json(), indent=2, ensure_ascii=False)
        else:
            text = as_text(data)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Written to {options['output']}. It holds personal data: keep it private.")
        else:
            self.stdout.write(text)
