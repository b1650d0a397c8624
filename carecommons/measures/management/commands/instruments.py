"""`carecommons instruments list` and `carecommons instruments load-text FILE`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecommons.measures.engine.definitions import DefinitionError, load_instruments, load_text, text_status
from carecommons.measures.engine.schema import Instrument
from carecommons.measures.running.deployment import store_text, text_dir


class Command(BaseCommand):
    help = "List the instrument definitions, or check and store a deployment's licensed item text."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="id, version, scales and whether item text is available")
        load = actions.add_parser(
            "load-text", help="check a licensed text file and store it for this deployment"
        )
        load.add_argument("file", type=Path, help="a text file in the format of docs/instruments-schema.md")

    def handle(self, *args: object, action: str, **options: object) -> None:
        try:
            if action == "list":
                self.list_instruments()
            else:
                self.load_text(Path(str(options["file"])))
        except DefinitionError as error:
            raise CommandError(str(error)) from error

    def list_instruments(self) -> None:
        rows = [("id", "version", "scales", "text")]
        for instrument in load_instruments().values():
            scales = ", ".join(scale.id for scale in instrument.scales)
            rows.append((instrument.id, instrument.version, scales, describe_text(instrument)))
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for *padded, last in rows:
            self.stdout.write(
                "  ".join([*(value.ljust(width) for value, width in zip(padded, widths, strict=True)), last])
            )

    def load_text(self, source: Path) -> None:
        instrument, wording, target = store_text(source)
        self.stdout.write(
            f"Loaded {instrument.short_name} text ({len(wording.items)} items) into {target}. "
            f"Licence: {instrument.licence.holder}; {instrument.licence.url}"
        )


def describe_text(instrument: Instrument) -> str:
    status = text_status(instrument, text_dir())
    if status.source == "none":
        return f"none ({instrument.licence.status}: load with `instruments load-text`)"
    try:
        load_text(instrument, text_dir())
    except DefinitionError as error:
        return f"unusable: {error}"
    return "shipped" if status.source == "shipped" else f"loaded ({status.path})"
