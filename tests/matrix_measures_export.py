"""Expected statuses for the evaluation export (see tests/matrix.py for what each field means).

Convenors and evaluators may download the pseudonymised export and its dictionary; everyone else,
facilitators included, gets a 404."""

from tests.matrix import CONVENOR_ONLY, Case

EVALUATOR_TOO = {"evaluator": 200}

MATRIX: dict[str, Case] = {
    "measures:export": Case(CONVENOR_ONLY, overrides=EVALUATOR_TOO),
    "measures:export_csv": Case(CONVENOR_ONLY, overrides=EVALUATOR_TOO),
    "measures:export_dictionary": Case(CONVENOR_ONLY, overrides=EVALUATOR_TOO),
}
