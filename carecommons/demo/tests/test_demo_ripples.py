"""Issue 15's part of the demo: the Radical Caring programme's ripple map, two rounds four months
apart, made through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.demo import ripples as demo
from carecommons.lib.dates import add_months
from carecommons.ripples.capitals import CAPITAL_IDS, Valence
from carecommons.ripples.charts import tree_depth
from carecommons.ripples.data import map_tree
from carecommons.ripples.models import Evidence, EvidenceShare, MappingRound, Ripple, RippleLink, SecondCoding

pytestmark = pytest.mark.django_db


def test_the_demo_maps_sixty_ripples_three_deep_over_two_rounds_coded_twice_with_evidence(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    printed = StringIO()
    call_command("demo", stdout=printed)
    first, second = MappingRound.objects.filter(programme__name=demo.PROGRAMME).order_by("held_on")
    assert (first.title, second.title) == (demo.FIRST_ROUND, demo.SECOND_ROUND)
    assert add_months(first.held_on, 4) == second.held_on < timezone.localdate()
    assert first.closed_at is not None and second.session is not None
    facilitator, participant, convenor = (
        User.objects.get(email=f"{persona}@example.org").person
        for persona in ("facilitator", "participant", "convenor")
    )
    assert first.facilitator == second.facilitator == facilitator
    assert f"/ripples/maps/{first.programme.uuid}/" in printed.getvalue()
    assert first.invitees.filter(person=participant, kind="stakeholder").exists()
    assert second.invitees.filter(person=participant, kind="participant").exists()

    loaded = map_tree(first.programme_id)
    nodes = loaded.tree.nodes.values()
    assert 55 <= len(loaded.tree) <= 65 and tree_depth(loaded.tree) == 3
    assert set(loaded.rounds.values()) == {first.pk, second.pk}
    assert set().union(*(node.capitals for node in nodes)) == set(CAPITAL_IDS)
    assert {node.valence for node in nodes} == set(Valence)
    assert sum(node.valence is Valence.NEGATIVE for node in nodes) >= 5
    assert any(
        node.parent is not None and loaded.rounds[node.parent] == first.pk
        for node in nodes
        if loaded.rounds[node.id] == second.pk
    )

    links = RippleLink.objects.filter(ripple__programme=first.programme)
    assert links.filter(organisation__isnull=False).count() >= 10
    assert set(links.filter(initiative__isnull=False).values_list("initiative__title", flat=True)) == {
        "Travel time diaries",
        "Carers and care workers coffee mornings",
    }
    merged = Ripple.objects.get(programme=first.programme, merged_into__isnull=False)
    assert merged.merged_into_id in loaded.tree.nodes and merged.pk not in loaded.tree.nodes

    codings = SecondCoding.objects.filter(ripple__programme=first.programme).select_related("ripple")
    assert 25 <= len(codings) <= 40
    assert {coding.coder for coding in codings} == {convenor}
    assert {coding.ripple.coded_by for coding in codings} == {facilitator}
    disagreements = sum(sorted(coding.capitals) != sorted(coding.ripple.capitals) for coding in codings)
    assert 5 <= disagreements <= len(codings) // 2

    evidence = Evidence.objects.filter(ripple__programme=first.programme)
    assert evidence.count() == 3 and all(row.quote and row.consented_at for row in evidence)
    assert evidence.filter(shared=EvidenceShare.BEYOND).count() == 1
