import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
ALLOWED = {"lib/urls.py"}  # settings.py defines SITE_URL; home's serve command only passes it on


def hand_built_addresses(path: Path) -> list[str]:
    """Where the module reads settings.SITE_URL or asks a request for an absolute address itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute) and node.attr in {"SITE_URL", "build_absolute_uri"}:
            found.append(f"{node.attr} on line {node.lineno}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and any(isinstance(a, ast.Constant) and a.value == "SITE_URL" for a in node.args)
        ):
            found.append(f"getattr SITE_URL on line {node.lineno}")
    return found


def test_every_absolute_link_is_made_by_lib_urls() -> None:
    modules = [p for p in SOURCE.rglob("*.py") if "tests" not in p.relative_to(SOURCE).parts]
    assert SOURCE / "lib" / "urls.py" in modules and len(modules) > 100
    offenders = {
        str(p.relative_to(SOURCE)): found
        for p in modules
        if str(p.relative_to(SOURCE)) not in ALLOWED and (found := hand_built_addresses(p))
    }
    assert offenders == {}


def test_the_address_scan_sees_site_url_and_a_request_building_its_own(tmp_path: Path) -> None:
    module = tmp_path / "links.py"
    module.write_text(
        "from django.conf import settings\n"
        "a = settings.SITE_URL + '/x/'\n"
        "b = getattr(settings, 'SITE_URL', '')\n"
        "c = request.build_absolute_uri('/x/')\n"
    )
    assert set(hand_built_addresses(module)) == {
        "SITE_URL on line 2",
        "getattr SITE_URL on line 3",
        "build_absolute_uri on line 4",
    }
