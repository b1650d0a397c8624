"""measures is split by idea (decision 0024): engine/ (what a questionnaire is and how answers are
scored: pure), running/ (waves, links, answers, safeguarding) and reporting/ (progress, outcomes,
charts, the evaluation export). Each may import only from the ones before it, and the engine from
nothing of Django's database nor any app's models."""

import ast
from pathlib import Path

MEASURES = Path(__file__).resolve().parent.parent
PACKAGE = "carecommons.measures"
PURE_MODULES = [
    *sorted((MEASURES / "engine").glob("*.py")),
    MEASURES / "reporting" / "outcomes.py",
    MEASURES / "reporting" / "summaries.py",
    MEASURES / "running" / "waves.py",
]


def imported(source: str) -> list[tuple[int, str]]:
    """Every module a source imports, at any depth (imports inside functions too), by line. A
    `from package import name` counts as importing both the package and `package.name`."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return sorted(found)


def impure(module: str) -> bool:
    """The database, any app's models, or any of our own code but the engine and `lib`."""
    return (
        module == "django.db"
        or module.startswith("django.db.")
        or module == "models"
        or module.endswith(".models")
        or ".models." in module
        or (
            module.startswith("carecommons.")
            and not module.startswith((f"{PACKAGE}.engine", "carecommons.lib"))
        )
    )


def offences(paths: list[Path], refused: tuple[str, ...] = (), *, pure: bool = False) -> list[str]:
    found = []
    for path in paths:
        for line, module in imported(path.read_text()):
            if (pure and impure(module)) or any(module.startswith(f"{PACKAGE}.{part}") for part in refused):
                where = path.relative_to(MEASURES) if path.is_relative_to(MEASURES) else path.name
                found.append(f"{where}:{line} {module}")
    return found


def modules_of(part: str) -> list[Path]:
    return sorted((MEASURES / part).glob("*.py"))


def test_the_engine_and_the_other_pure_modules_import_no_database_and_no_models() -> None:
    assert offences(PURE_MODULES, pure=True) == []


def test_the_engine_imports_nothing_from_running_reporting_or_the_app_root() -> None:
    refused = ("running", "reporting", "views", "models", "access", "forms", "tasks", "attention")
    assert offences(modules_of("engine"), refused) == []


def test_running_imports_nothing_from_reporting_or_the_pages() -> None:
    assert offences(modules_of("running"), ("reporting", "views", "forms", "attention")) == []


def test_reporting_imports_nothing_from_the_pages() -> None:
    assert offences(modules_of("reporting"), ("views", "forms", "attention")) == []


def test_the_scan_finds_a_database_or_models_import_even_inside_a_function(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "from django.db import transaction\n"
        "def score():\n"
        "    from carecommons.people.models import Person\n"
        "    from carecommons.measures import models\n"
        "    import django.db.models\n"
    )
    tmp_path.joinpath("engine_ok.py").write_text(
        "from carecommons.measures.engine.schema import Instrument\n"
    )
    found = [entry.split(" ", 1)[1] for entry in offences([sneaky, tmp_path / "engine_ok.py"], pure=True)]
    assert found == [
        "django.db",
        "django.db.transaction",
        "carecommons.people.models",
        "carecommons.people.models.Person",
        "carecommons.measures",
        "carecommons.measures.models",
        "django.db.models",
    ]


def test_the_scan_finds_running_code_reaching_up_into_reporting(tmp_path: Path) -> None:
    upward = tmp_path / "upward.py"
    upward.write_text("from carecommons.measures.reporting import progress\n")
    assert len(offences([upward], ("reporting",))) == 2
