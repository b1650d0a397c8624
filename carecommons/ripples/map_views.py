"""A programme's ripple map seen whole: the radial map with the same ripples as a nested list, the
timeline, the capitals chart, how far two coders agree, what changed between two rounds, and the
map's exports. Convenors and the facilitators of the programme's rounds only
(access.get_map_for_user); each page reads the map in a fixed number of queries (data.map_tree) and
records who looked."""

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from carecommons.accounts.http import AuthedRequest
from carecommons.audit.services import record_event
from carecommons.lib.svg import escaped
from carecommons.programmes.models import Programme
from carecommons.ripples import agreement, charts, count_charts, exports, rounds, tree
from carecommons.ripples.access import get_map_for_user
from carecommons.ripples.capitals import BY_ID, CAPITAL_IDS
from carecommons.ripples.data import LoadedMap, map_tree
from carecommons.ripples.models import MappingRound
from carecommons.ripples.tree import RippleNode

NOBODY = UUID(int=0)


def ripple_urls() -> Callable[[UUID | str], str]:
    """Each ripple's own page, reversed once: a big map has thousands of links."""
    before, after = reverse("ripples:ripple_detail", args=[NOBODY]).split(str(NOBODY))
    return lambda ripple_uuid: f"{before}{ripple_uuid}{after}"


def round_name(mapping_round: MappingRound) -> str:
    return f"{mapping_round.title} ({charts.day_words(mapping_round.held_on)})"


def programme_rounds(programme: Programme) -> list[MappingRound]:
    """Oldest first, as the rounds grew the map."""
    return sorted(programme.ripple_rounds.all(), key=lambda row: (row.held_on, row.pk))


class RoundChoice(forms.ChoiceField):
    def __init__(self, rounds: Sequence[MappingRound], *, label: str, empty: str | None) -> None:
        choices = [("", empty)] if empty is not None else []
        super().__init__(
            label=label,
            required=empty is None,
            choices=choices + [(str(row.uuid), round_name(row)) for row in reversed(rounds)],
            error_messages={
                "invalid_choice": "Choose one of this programme's rounds.",
                "required": "Choose a round.",
            },
        )


class AsOfForm(forms.Form):
    def __init__(self, data: Any, *, rounds: Sequence[MappingRound]) -> None:
        super().__init__(data)
        self.fields["round"] = RoundChoice(rounds, label="Show the map as it was after", empty="Every round")


def as_of(request: AuthedRequest, rounds: Sequence[MappingRound]) -> tuple[AsOfForm, MappingRound | None]:
    """The round chosen with ?round=<uuid>, or None for the whole map now (also when the choice is
    not one of the programme's rounds: the form then says so beside the field)."""
    form = AsOfForm(request.GET if "round" in request.GET else None, rounds=rounds)
    if form.is_bound and form.is_valid() and form.cleaned_data["round"]:
        return form, next(row for row in rounds if str(row.uuid) == form.cleaned_data["round"])
    return form, None


@dataclass(frozen=True)
class Shown:
    """A programme's map as asked for with ?round=: the rounds, the form, the round chosen (None for
    the whole map now) and the map as it stood after it."""

    rounds: list[MappingRound]
    form: AsOfForm
    chosen: MappingRound | None
    loaded: LoadedMap


def shown_map(request: AuthedRequest, programme: Programme, action: str) -> Shown:
    """The map as of the round asked for, its reading recorded under `action`."""
    all_rounds = programme_rounds(programme)
    form, chosen = as_of(request, all_rounds)
    loaded = map_tree(programme.pk, as_of=chosen)
    detail = {"round": str(chosen.uuid)} if chosen else {}
    record_event(actor=request.user, action=action, target=programme, detail=detail)
    return Shown(all_rounds, form, chosen, loaded)


def page(
    request: AuthedRequest, template: str, programme: Programme, current: str, **context: Any
) -> HttpResponse:
    return render(request, template, {"programme": programme, "current": current, **context})


# --- The map and its list -------------------------------------------------------------------------


def ripple_words(
    ripple: RippleNode, capitals: tuple[str, ...], links: Sequence[str], days: dict[date, str]
) -> str:
    """What the list says of a ripple after its words: valence, intent, day, capitals, links."""
    parts = [ripple.valence.value]
    if intent := charts.intent_words(ripple.intent):
        parts.append(intent.lower())
    if (day := ripple.happened_on) is not None:
        if day not in days:
            days[day] = charts.day_words(day)
        parts.append(days[day])
    if capitals:
        parts.append("capitals: " + ", ".join(capitals))
    if links:
        parts.append("affected: " + ", ".join(links))
    return "; ".join(parts)


def list_items(loaded: LoadedMap) -> SafeString:
    """The map as the <li>s of a nested list, each ripple linking to its own page, in the map's
    reading order. Written here rather than in a template or with lib/svg.element, which both take
    over 50 ms for a map of 5,000 ripples where this takes a few. Every word goes through escaped()
    except what code makes: addresses (a reversed path and a UUID), valences, intents, days and
    capital names."""
    url_of = ripple_urls()
    named = charts.capital_namer()
    tree, links, uuids = loaded.tree, loaded.links, loaded.uuids
    children, nodes = tree.children, tree.nodes
    days: dict[date, str] = {}
    parts: list[str] = []
    pending: list[Iterator[int]] = [iter(children.get(None, ()))]
    while pending:
        id = next(pending[-1], None)
        if id is None:
            pending.pop()
            parts.append("</ul></li>" if pending else "")
            continue
        ripple = nodes[id]
        affected = [escaped(name) for name in links[id]] if id in links else ()
        words = ripple_words(ripple, named(ripple), affected, days)
        parts.append(
            f'<li><a href="{url_of(uuids[id])}">{escaped(ripple.text)}</a>'
            f' <span class="muted">({words})</span>'
        )
        if id in children:
            parts.append("<ul>")
            pending.append(iter(children[id]))
        else:
            parts.append("</li>")
    # Safe: every word typed in went through escaped(); the rest is made by code from fixed words.
    return mark_safe("".join(parts))


def next_round(latest: MappingRound | None, today: date) -> dict[str, Any]:
    if latest is None:
        return {}
    overdue = rounds.overdue_from(latest.held_on)
    return {"due": rounds.due_next(latest.held_on), "overdue_from": overdue, "overdue": today >= overdue}


@login_required
@require_GET
def map_detail(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_map_for_user(request.user, programme_id)
    shown = shown_map(request, programme, "ripples.map_viewed")
    loaded, all_rounds = shown.loaded, shown.rounds
    return page(
        request,
        "ripples/map_detail.html",
        programme,
        "map",
        form=shown.form,
        chosen=shown.chosen,
        svg=charts.ripple_map_svg(loaded.tree, centre_label=programme.name, links=loaded.links),
        items=list_items(loaded),
        count=len(loaded.tree),
        depth=charts.tree_depth(loaded.tree),
        round_count=len(all_rounds),
        next_round=next_round(all_rounds[-1] if all_rounds else None, timezone.localdate()),
    )


# --- Timeline and capitals ------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundRow:
    round: MappingRound
    ripples: int


@login_required
@require_GET
def map_timeline(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_map_for_user(request.user, programme_id)
    all_rounds = programme_rounds(programme)
    loaded = map_tree(programme.pk)
    record_event(actor=request.user, action="ripples.timeline_viewed", target=programme)
    timeline = rounds.timeline(loaded.tree.nodes.values())
    named = Counter(loaded.rounds.values())
    return page(
        request,
        "ripples/map_timeline.html",
        programme,
        "timeline",
        svg=count_charts.timeline_svg(timeline),
        rows=count_charts.timeline_rows(timeline),
        undated=sum(timeline.undated.values()),
        undated_counts=[(valence.value, count) for valence, count in timeline.undated.items()],
        round_rows=[RoundRow(row, named[row.pk]) for row in all_rounds],
    )


@login_required
@require_GET
def map_capitals(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_map_for_user(request.user, programme_id)
    shown = shown_map(request, programme, "ripples.capitals_viewed")
    loaded = shown.loaded
    counts = count_charts.capital_counts(loaded.tree.nodes.values())
    return page(
        request,
        "ripples/map_capitals.html",
        programme,
        "capitals",
        form=shown.form,
        chosen=shown.chosen,
        svg=count_charts.capitals_chart_svg(counts),
        rows=count_charts.capitals_rows(counts),
        count=len(loaded.tree),
        uncoded=sum(1 for node in loaded.tree.nodes.values() if not node.capitals),
    )


# --- Coders' agreement ----------------------------------------------------------------------------


def capital_names(ids: Sequence[str]) -> list[str]:
    known = [BY_ID[id].name for id in CAPITAL_IDS if id in ids]
    return known + sorted(set(ids) - set(CAPITAL_IDS))


@dataclass(frozen=True)
class CapitalAgreement:
    name: str
    found: agreement.Agreement
    why_not: str
    """Why kappa is not defined, or what makes it say little; empty when it stands."""

    @property
    def observed(self) -> str:
        share = self.found.observed
        return "–" if share is None else f"{share:.0%}"

    @property
    def kappa(self) -> str:
        if self.found.kappa is None:
            return "not defined"
        return f"{self.found.kappa.value:.2f}"

    @property
    def interval(self) -> str:
        if self.found.kappa is None:
            return ""
        low, high = self.found.kappa.ci95
        return f"{low:.2f} to {high:.2f}"


def why_no_kappa(found: agreement.Agreement) -> str:
    table = found.table
    if table.n == 0:
        return "No ripple has been coded by both coders."
    if table.both_yes == table.n:
        return "Not defined: both coders gave every ripple this capital."
    if table.both_no == table.n:
        return "Not defined: neither coder gave any ripple this capital."
    if found.kappa is not None and found.kappa.standard_error == 0:
        return "One coder gave every ripple the same answer, so kappa is 0 whatever the other did."
    return ""


@dataclass(frozen=True)
class Disagreement:
    text: str
    url: str
    first: list[str]
    second: list[str]


@login_required
@require_GET
def map_agreement(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_map_for_user(request.user, programme_id)
    on_map = programme.ripples.on_map()
    coded = list(
        on_map.filter(coded_by__isnull=False, second_coding__isnull=False)
        .order_by("id")
        .values_list("id", "uuid", "text", "capitals", "second_coding__capitals")
    )
    totals = on_map.aggregate(
        ripples=Count("id"),
        first=Count("id", filter=Q(coded_by__isnull=False)),
        second=Count("id", filter=Q(second_coding__isnull=False)),
    )
    record_event(actor=request.user, action="ripples.agreement_viewed", target=programme)
    ripple_url = ripple_urls()
    first = {id: frozenset(capitals) for id, _, _, capitals, _ in coded}
    second = {id: frozenset(capitals) for id, _, _, _, capitals in coded}
    found = agreement.agreement_by_capital(first, second)
    return page(
        request,
        "ripples/map_agreement.html",
        programme,
        "agreement",
        both=len(coded),
        totals=totals,
        capitals=[CapitalAgreement(BY_ID[row.capital].name, row, why_no_kappa(row)) for row in found],
        disagreements=[
            Disagreement(text, ripple_url(uuid), capital_names(mine), capital_names(theirs))
            for _, uuid, text, mine, theirs in coded
            if set(mine) != set(theirs)
        ],
    )


# --- Changes between rounds -----------------------------------------------------------------------


class ChangesForm(forms.Form):
    def __init__(self, data: Any, *, rounds: Sequence[MappingRound]) -> None:
        super().__init__(data)
        self.fields["from"] = RoundChoice(rounds, label="From the map after", empty=None)
        self.fields["to"] = RoundChoice(rounds, label="To the map after", empty=None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from") and data.get("from") == data.get("to"):
            self.add_error("to", "Choose a different round from the first one to see what changed.")
        return data


@dataclass(frozen=True)
class NewRow:
    path: str
    url: str
    round: str


@dataclass(frozen=True)
class GrewRow:
    text: str
    url: str
    before: int
    after: int


def order_of(mapping_round: MappingRound) -> tuple[date, int]:
    return mapping_round.held_on, mapping_round.pk


def compared(programme: Programme, earlier: MappingRound, later: MappingRound) -> dict[str, Any]:
    before = map_tree(programme.pk, as_of=earlier)
    after = map_tree(programme.pk, as_of=later)
    change = tree.changes_between(before.tree, after.tree, same=lambda node: node.id)
    names = {row.pk: round_name(row) for row in programme_rounds(programme)}
    ripple_url = ripple_urls()
    return {
        "earlier": earlier,
        "later": later,
        "before_count": len(before.tree),
        "after_count": len(after.tree),
        "new": [
            NewRow(
                exports.PATH_JOINER.join(step.text for step in tree.path(after.tree, node.id)),
                ripple_url(after.uuids[node.id]),
                names.get(after.rounds[node.id], ""),
            )
            for node in change.new
        ],
        "grew": [
            GrewRow(
                growth.ripple.text, ripple_url(after.uuids[growth.ripple.id]), growth.before, growth.after
            )
            for growth in change.grew
        ],
    }


@login_required
@require_GET
def map_changes(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    programme = get_map_for_user(request.user, programme_id)
    all_rounds = programme_rounds(programme)
    record_event(actor=request.user, action="ripples.changes_viewed", target=programme)
    context: dict[str, Any] = {"round_count": len(all_rounds)}
    if len(all_rounds) >= 2:
        last_two = {"from": str(all_rounds[-2].uuid), "to": str(all_rounds[-1].uuid)}
        asked = "from" in request.GET or "to" in request.GET
        form = ChangesForm(request.GET if asked else last_two, rounds=all_rounds)
        context["form"] = form
        if form.is_valid():
            by_uuid = {str(row.uuid): row for row in all_rounds}
            pair = sorted(
                (by_uuid[form.cleaned_data["from"]], by_uuid[form.cleaned_data["to"]]), key=order_of
            )
            context |= compared(programme, *pair)
            context["swapped"] = pair[0] is not by_uuid[form.cleaned_data["from"]]
    return page(request, "ripples/map_changes.html", programme, "changes", **context)


# --- Exports --------------------------------------------------------------------------------------


def attachment(programme: Programme, extension: str) -> dict[str, str]:
    stem = slugify(programme.name) or "programme"
    filename = f"ripples-{stem}-{timezone.localdate():%Y-%m-%d}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"}


@dataclass(frozen=True)
class Export:
    extension: str
    content_type: str
    write: Callable[[Programme, LoadedMap], str]


def kumu_json(programme: Programme, loaded: LoadedMap) -> str:
    data = exports.ripples_kumu(loaded.tree, links=loaded.links, centre_label=programme.name)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


EXPORTS = {
    "csv": Export(
        "csv",
        "text/csv; charset=utf-8",
        lambda programme, loaded: exports.ripples_csv(loaded.tree, links=loaded.links),
    ),
    "graphml": Export(
        "graphml",
        "application/graphml+xml; charset=utf-8",
        lambda programme, loaded: exports.ripples_graphml(
            loaded.tree, links=loaded.links, centre_label=programme.name
        ),
    ),
    "kumu": Export("kumu.json", "application/json; charset=utf-8", kumu_json),
}


def exported(request: AuthedRequest, programme_id: UUID, format: str) -> HttpResponse:
    """The programme's whole map now, as a download, with the export recorded. Evidence never leaves
    in an export: a ripple carries only its own words, codes and the names of what it affected."""
    programme = get_map_for_user(request.user, programme_id)
    loaded = map_tree(programme.pk)
    record_event(
        actor=request.user,
        action="ripples.exported",
        target=programme,
        detail={"format": format, "ripples": len(loaded.tree)},
    )
    how = EXPORTS[format]
    return HttpResponse(
        how.write(programme, loaded),
        content_type=how.content_type,
        headers=attachment(programme, how.extension),
    )


@login_required
@require_GET
def export_csv(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    return exported(request, programme_id, "csv")


@login_required
@require_GET
def export_graphml(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    return exported(request, programme_id, "graphml")


@login_required
@require_GET
def export_kumu(request: AuthedRequest, programme_id: UUID) -> HttpResponse:
    return exported(request, programme_id, "kumu")
