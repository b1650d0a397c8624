"""How often each theme comes up: one small bar chart per theme, issues per month, every chart on the
same scale so they can be compared down the page. Pure: no ORM. Drawn with lib/charts.py's SVG
helpers (role="img", a title and a description; no style attributes); the page gives the same
numbers as a table.
"""

from collections.abc import Sequence
from datetime import date

from django.utils.safestring import SafeString

from carecommons.lib.charts import ATTENDED_FILL, INK, MUTED, WIDTH, rect, svg
from carecommons.lib.dates import month_words
from carecommons.lib.svg import element, text, title
from carecommons.lib.words import plural

TOP, BASELINE, HEIGHT = 24.0, 104.0, 128.0
LABEL_EVERY = 3


def describe(name: str, months: Sequence[date], counts: Sequence[int], *, issues: int, people: int) -> str:
    """The chart in words: the totals, the months shown and the busiest month."""
    words = f"{name}: {plural(issues, 'issue', 'issues')} from {plural(people, 'person', 'people')}."
    if not months:
        return words
    span = f"{month_words(months[0])} to {month_words(months[-1])}"
    shown = sum(counts)
    if not shown:
        return f"{words} None from {span}."
    busiest = max(range(len(counts)), key=lambda i: (counts[i], i))
    return (
        f"{words} From {span}: {plural(shown, 'issue', 'issues')}, "
        f"the most in {month_words(months[busiest])} ({counts[busiest]:,})."
    )


def theme_chart(
    chart_id: str, name: str, months: Sequence[date], counts: Sequence[int], *, scale: int, desc: str
) -> SafeString:
    """Bars of issues per month; `scale` is the largest count on the page, so the charts compare."""
    slot = WIDTH / max(len(months), 1)
    body = [
        element(
            "line", {"x1": "0", "x2": f"{WIDTH}", "y1": f"{BASELINE}", "y2": f"{BASELINE}", "stroke": INK}
        )
    ]
    for i, (month, count) in enumerate(zip(months, counts, strict=True)):
        middle = (i + 0.5) * slot
        if count:
            height = max((BASELINE - TOP) * count / max(scale, 1), 2)
            y = BASELINE - height
            bar = rect(middle - slot * 0.35, y, slot * 0.7, height, fill=ATTENDED_FILL)
            label = text(middle, y - 5, f"{count:,}", **{"text-anchor": "middle"})
            body.append(element("g", {}, title(f"{month_words(month)}: {count:,}"), bar, label))
        if (len(months) - 1 - i) % LABEL_EVERY == 0:
            last = i == len(months) - 1
            anchor = {"text-anchor": "end"} if last else {"text-anchor": "middle"}
            x = WIDTH if last else middle
            body.append(text(x, BASELINE + 20, month_words(month, short=True), fill=MUTED, **anchor))
    return svg(chart_id, HEIGHT, f"{name}: issues per month", desc, *body)
