"""Runs the vendored axe-core against a page and fails with what it found."""

from pathlib import Path
from typing import Any

from playwright.sync_api import Error, Page

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {node['target']}: {node['html']}")
            lines.extend(f"      {line}" for line in (node["summary"] or "").splitlines())
    return "\n".join(lines)


def violations_on(page: Page) -> list[dict[str, Any]]:
    """Evaluated through the DevTools protocol, so the page's strict CSP stays on and untouched."""
    page.wait_for_load_state()
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    result: list[dict[str, Any]] = page.evaluate(RUN_AXE, WCAG_TAGS)
    return result


def assert_accessible(page: Page) -> None:
    """A click that starts a navigation returns before the old document is gone, so a check made
    straight after it can find the document being replaced (axe then reads a null document). The
    check waits for the page to load and, if the document was replaced under it, runs again on the
    new one: once more is enough, since the new page has loaded by then."""
    try:
        violations = violations_on(page)
    except Error as error:
        if "documentElement" not in error.message and "context was destroyed" not in error.message:
            raise
        violations = violations_on(page)
    assert violations == [], f"axe found WCAG violations on {page.url}:\n{describe(violations)}"
