"""`carecommons score <instrument> <answers>`: score one response and print one JSON object."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from carecommons.measures.engine.definitions import DefinitionError, get_instrument
from carecommons.measures.engine.scoring import AnswerError, parse_answers, score


class Command(BaseCommand):
    help = (
        "Score one response. Answers are comma-separated in item order; leave a slot empty for a "
        "missing answer, e.g. `carecommons score phq9 0,1,,3,0,0,1,2,0`."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help="instrument id, e.g. phq9, gad7, core10, swemwbs, ceas_self")
        parser.add_argument("answers", help="comma-separated answers in item order; empty for missing")

    def handle(self, *args: object, instrument: str, answers: str, **options: object) -> None:
        try:
            definition = get_instrument(instrument)
            result = score(definition, parse_answers(definition, answers))
        except KeyError as error:
            raise CommandError(error.args[0]) from error
        except (AnswerError, DefinitionError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
