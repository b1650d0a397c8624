"""The money core is below the apps built on it (decision 0023): no module of `finances` imports
`expenses`, `statements` or the `money` pages, not even inside a function."""

import ast
from pathlib import Path

FINANCES = Path(__file__).resolve().parent.parent
ABOVE = ("carecommons.expenses", "carecommons.statements", "carecommons.money")


def imported(source: str) -> set[str]:
    """Every module named by an import statement anywhere in the source, nested ones included."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def upward_imports() -> list[str]:
    found = []
    for path in sorted(FINANCES.rglob("*.py")):
        part = path.relative_to(FINANCES).parts[0]
        if part in ("tests", "migrations"):
            continue
        for name in sorted(imported(path.read_text())):
            if name == "carecommons" or any(name == a or name.startswith(f"{a}.") for a in ABOVE):
                found.append(f"finances/{path.relative_to(FINANCES)}: {name}")
    return found


def test_finances_imports_neither_expenses_nor_statements_nor_the_money_pages() -> None:
    assert upward_imports() == []


def test_the_scan_finds_an_import_of_expenses_even_inside_a_function() -> None:
    source = (
        "from carecommons import statements\n"
        "def view():\n"
        "    from carecommons.expenses.services import reverse_payment\n"
        "    import carecommons.money.views\n"
    )
    names = imported(source)
    assert "carecommons.expenses.services" in names
    assert "carecommons.money.views" in names
    assert "carecommons.statements" in names
