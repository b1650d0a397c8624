"""Views load rows only through access.py (issue 12, item 2): the row the URL names comes from an
access function, and rows hanging off it are read through that row or a QuerySet method scoped by
it. A view module that reads `<Model>.objects` or calls `get_object_or_404` fails here."""

import ast
from pathlib import Path

APPS = Path(__file__).resolve().parent.parent / "carecommons"
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}

# Exceptions, each with its reason: (module, name read) -> why. None are needed today.
ALLOWED: dict[tuple[str, str], str] = {}


def view_modules() -> list[Path]:
    return sorted({*APPS.glob("*/views.py"), *APPS.glob("*/*_views.py"), *APPS.glob("*/views/*.py")})


def direct_reads(source: str) -> list[tuple[int, str]]:
    """Each `<Name>.objects` and each use of get_object_or_404 (or get_list_or_404), by line. The
    queryset given to a `Prefetch` is not counted: it only shapes rows hanging off rows loaded already."""
    found = []
    pending: list[ast.AST] = [ast.parse(source)]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Prefetch":
            continue
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
            found.append((node.lineno, node.value.id))
        elif isinstance(node, ast.Name) and node.id in SHORTCUTS:
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.ImportFrom):
            found.extend((node.lineno, alias.name) for alias in node.names if alias.name in SHORTCUTS)
        pending.extend(ast.iter_child_nodes(node))
    return sorted(found)


def offences() -> list[str]:
    found = []
    for path in view_modules():
        module = str(path.relative_to(APPS.parent))
        for line, name in direct_reads(path.read_text()):
            if (module, name) not in ALLOWED:
                found.append(f"{module}:{line} {name}")
    return found


def test_no_view_module_reads_model_objects_or_calls_get_object_or_404() -> None:
    assert offences() == []


def test_the_scan_finds_model_objects_and_get_object_or_404_in_a_view() -> None:
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "def view(request, pk):\n"
        "    thing = get_object_or_404(Thing, pk=pk)\n"
        "    return Other.objects.filter(thing=thing)\n"
    )
    assert direct_reads(source) == [(1, "get_object_or_404"), (3, "get_object_or_404"), (4, "Other")]


def test_the_scan_lets_rows_be_read_through_a_loaded_row_and_shaped_by_a_prefetch() -> None:
    source = (
        "def view(request, group):\n"
        "    prefetch = Prefetch('entries', queryset=Entry.objects.select_related('account'))\n"
        "    return group.expenses.filter(state='paid').prefetch_related(prefetch)\n"
    )
    assert direct_reads(source) == []


def test_the_scan_covers_every_apps_views() -> None:
    modules = {str(path.relative_to(APPS)) for path in view_modules()}
    assert {"programmes/views.py", "people/own_data_views.py", "finances/views/books.py"} <= modules


def test_every_allowed_exception_is_still_needed() -> None:
    still_read = {
        (str(path.relative_to(APPS.parent)), name)
        for path in view_modules()
        for _, name in direct_reads(path.read_text())
    }
    assert set(ALLOWED) - still_read == set()
    assert all(reason.strip() for reason in ALLOWED.values())
