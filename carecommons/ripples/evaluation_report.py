"""The ripple effects section of a trial's evaluation report (trials/report_sections.py): the
rounds held for the trial's programme, how many ripples its map holds and how deep it goes, the
ripples per community capital (chart and table), the first two rings of the map, and the evidence
quotes whose givers agreed they may go beyond their round; no other evidence, and no names.

The shared version hides counts of 1 to 4 as the rest of that version does. Four queries, however
large the map: the rounds, the map (map_tree's two) and the quotes.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from carecommons.lib.small_numbers import shown_count
from carecommons.programmes.models import Programme
from carecommons.ripples.charts import tree_depth
from carecommons.ripples.count_charts import capital_counts, capitals_chart_svg, capitals_rows
from carecommons.ripples.data import map_tree
from carecommons.ripples.models import Evidence, EvidenceShare, MappingRound
from carecommons.ripples.tree import Tree
from carecommons.trials.report_sections import Section

CHART_ID = "report-ripple-capitals"


@dataclass(frozen=True)
class Ring:
    """A ripple hanging from the programme, and the texts of the ripples hanging from it."""

    text: str
    children: list[str]


def first_rings(tree: Tree) -> list[Ring]:
    return [Ring(root.text, [child.text for child in tree.children_of(root.id)]) for root in tree.roots]


def quotes_beyond_the_round(programme: Programme) -> list[tuple[str, str]]:
    """(ripple, quote) for each quote whose giver let it go beyond the round it was given in."""
    return list(
        Evidence.objects.filter(ripple__programme=programme, shared=EvidenceShare.BEYOND)
        .exclude(quote="")
        .order_by("created_at", "id")
        .values_list("ripple__text", "quote")
    )


def ripple_section(programme: Programme, shared: bool) -> SafeString | None:
    rounds = list(
        MappingRound.objects.filter(programme=programme, held_on__lte=timezone.localdate()).order_by(
            "held_on", "id"
        )
    )
    loaded = map_tree(programme.pk)
    if not rounds and not len(loaded.tree):
        return None
    counts = capital_counts(loaded.tree.nodes.values())
    count = len(loaded.tree)
    context = {
        "rounds": rounds,
        "ripples": shown_count(count) if shared else f"{count:,}",
        "one_ripple": count == 1 and not shared,
        "depth": tree_depth(loaded.tree),
        "capitals_svg": capitals_chart_svg(counts, hidden=shared, chart_id=CHART_ID) if counts else "",
        "capitals_rows": capitals_rows(counts, hidden=shared),
        "rings": first_rings(loaded.tree),
        "quotes": quotes_beyond_the_round(programme),
        "shared": shared,
    }
    # A template's output, autoescaped: the types call it str, Django has already marked it safe.
    return mark_safe(render_to_string("ripples/report_section.html", context))


REPORT_SECTIONS = [
    Section(
        "ripples",
        "Ripple effects",
        ripple_section,
        empty="No ripple mapping round has been held for this programme yet.",
    )
]
