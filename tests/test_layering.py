"""Apps import only downwards (issue 12, item 8). The layers are written once, in the "Layers"
block of docs/architecture.md; this test reads them there, so the document and the code cannot
drift apart. Every import of a `carecommons.<app>` module counts, wherever it is written (at the
top, inside a function, under TYPE_CHECKING); tests and migrations are left out, because tests
build fixtures across apps and migrations are frozen history."""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "carecommons"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
SKIPPED_PARTS = {"tests", "migrations"}


def layers_from(markdown: str) -> list[list[frozenset[str]]]:
    """The fenced block after the "## Layers" heading, top layer first. A line is a layer; names
    on a line are independent of each other unless joined by "+", which makes one unit whose
    members may import each other."""
    section = markdown.split("\n## Layers\n", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.S)
    assert block, "docs/architecture.md: the Layers section has no fenced block"
    return [
        [frozenset(unit.split("+")) for unit in line.split()]
        for line in block.group(1).splitlines()
        if line.strip()
    ]


def positions(layers: list[list[frozenset[str]]]) -> dict[str, tuple[int, frozenset[str]]]:
    """Each app's height (0 is the bottom) and the unit it belongs to."""
    found = {}
    for height, layer in enumerate(reversed(layers)):
        for unit in layer:
            for app in unit:
                assert app not in found, f"{app} is written twice in the layers"
                found[app] = (height, unit)
    return found


def imported_apps(source: str) -> Iterator[tuple[int, str]]:
    """(line, app) for every `carecommons.<app>` module this source imports."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "carecommons":
                names = [f"carecommons.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "carecommons" and len(parts) > 1:
                yield node.lineno, parts[1]


def apps_on_disk() -> set[str]:
    return {path.parent.name for path in PACKAGE.glob("*/__init__.py")} - SKIPPED_PARTS


def upward_imports(layers: list[list[frozenset[str]]], modules: dict[str, str]) -> list[str]:
    """Every import of an app that is not below the importing app (or in its unit), as
    "module:line imports app"; `modules` maps a module's path (carecommons/<app>/...) to its source."""
    where = positions(layers)
    found = []
    for module, source in sorted(modules.items()):
        app = module.split("/")[1]
        height, unit = where[app]
        for line, other in imported_apps(source):
            if other == app or other not in where or other in unit:
                continue
            if where[other][0] >= height:
                found.append(f"{module}:{line} imports {other}")
    return found


def app_modules() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text()
        for path in PACKAGE.glob("*/**/*.py")
        if not SKIPPED_PARTS & set(path.relative_to(PACKAGE).parts)
    }


def documented_layers() -> list[list[frozenset[str]]]:
    return layers_from(ARCHITECTURE.read_text())


def test_every_app_has_a_place_in_the_documented_layers() -> None:
    assert sorted(apps_on_disk() - set(positions(documented_layers()))) == []


def test_the_documented_layers_name_only_apps_that_exist() -> None:
    assert sorted(set(positions(documented_layers())) - apps_on_disk()) == []


def test_no_app_imports_an_app_at_its_own_level_or_above() -> None:
    assert upward_imports(documented_layers(), app_modules()) == []


LAYERS = """
## Layers

```
home
money
finances  programmes+calendars
lib
```
"""


def test_an_import_from_a_higher_or_sibling_app_is_found_wherever_it_is_written() -> None:
    modules = {
        "carecommons/finances/views.py": "def f():\n    from carecommons.money.views import page\n",
        "carecommons/lib/once.py": "from carecommons import home\n",
        "carecommons/programmes/models.py": "import carecommons.finances.models\n",
        "carecommons/money/views.py": "from carecommons.finances import ledger\n",
        "carecommons/home/views.py": "from carecommons.lib.once import create_once\n",
        "carecommons/calendars/services.py": "from carecommons.programmes.models import Session\n",
        "carecommons/programmes/services.py": "from carecommons.calendars import services\n",
    }
    assert upward_imports(layers_from(LAYERS), modules) == [
        "carecommons/finances/views.py:2 imports money",
        "carecommons/lib/once.py:1 imports home",
        "carecommons/programmes/models.py:1 imports finances",
    ]


def test_a_layer_line_joins_a_unit_with_plus_and_separates_siblings_with_spaces() -> None:
    assert layers_from(LAYERS) == [
        [frozenset({"home"})],
        [frozenset({"money"})],
        [frozenset({"finances"}), frozenset({"programmes", "calendars"})],
        [frozenset({"lib"})],
    ]
