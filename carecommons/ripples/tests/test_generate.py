"""The map generator for benchmarks: the size and depth asked for, a tree the map reads, every
capital and valence, rows the models accept, and the same map for the same seed."""

import pytest
from django.utils import timezone

from carecommons.lib.dates import add_months
from carecommons.programmes.tests.factories import make_programme
from carecommons.ripples.capitals import CAPITAL_IDS, Valence
from carecommons.ripples.charts import tree_depth
from carecommons.ripples.data import map_tree
from carecommons.ripples.generate import generate_map, level_sizes
from carecommons.ripples.models import Ripple, RippleLink, SecondCoding

pytestmark = pytest.mark.django_db


def test_a_generated_map_has_the_ripples_and_levels_asked_for_and_reads_as_a_tree() -> None:
    programme = make_programme(workshops=0)
    rounds = generate_map(programme=programme, ripples=120, depth=5, rounds=2, seed=3)
    loaded = map_tree(programme.pk)
    assert len(loaded.tree) == Ripple.objects.filter(programme=programme).count() == 120
    assert tree_depth(loaded.tree) == 5
    assert {round.pk for round in rounds} == set(loaded.rounds.values())
    assert rounds[1].held_on == add_months(rounds[0].held_on, 4) < timezone.localdate()
    nodes = loaded.tree.nodes.values()
    assert set().union(*(node.capitals for node in nodes)) == set(CAPITAL_IDS)
    assert {node.valence for node in nodes} == set(Valence)
    assert all(node.happened_on is None or node.happened_on <= rounds[-1].held_on for node in nodes)


def test_a_ripple_is_named_no_earlier_than_the_ripple_it_spread_from() -> None:
    programme = make_programme(workshops=0)
    generate_map(programme=programme, ripples=200, depth=4, seed=5)
    for ripple in Ripple.objects.filter(programme=programme, parent__isnull=False).select_related(
        "round", "parent__round"
    ):
        assert ripple.parent is not None and ripple.round.held_on >= ripple.parent.round.held_on


def test_some_ripples_are_linked_and_about_a_third_coded_a_second_time_by_someone_else() -> None:
    programme = make_programme(workshops=0)
    generate_map(programme=programme, ripples=300, depth=3, seed=1)
    codings = SecondCoding.objects.filter(ripple__programme=programme).select_related("ripple")
    assert 60 <= len(codings) <= 140
    assert all(coding.coder_id != coding.ripple.coded_by_id for coding in codings)
    assert RippleLink.objects.filter(ripple__programme=programme, organisation__isnull=False).exists()
    assert map_tree(programme.pk).links


def test_the_same_seed_makes_the_same_map_and_another_seed_another() -> None:
    def texts(seed: int) -> list[tuple[str, int]]:
        programme = make_programme(workshops=0)
        generate_map(programme=programme, ripples=60, depth=3, seed=seed)
        loaded = map_tree(programme.pk)
        return [
            (node.text, loaded.tree.depths[node.id])
            for node in sorted(loaded.tree.nodes.values(), key=lambda n: n.id)
        ]

    assert texts(7) == texts(7) != texts(8)


def test_levels_grow_outwards_with_at_least_one_ripple_each() -> None:
    assert level_sizes(8, 8) == [1] * 8
    sizes = level_sizes(5000, 8)
    assert sum(sizes) == 5000 and sizes == sorted(sizes) and min(sizes) >= 1
    with pytest.raises(ValueError, match="ripple per level"):
        generate_map(programme=make_programme(workshops=0), ripples=2, depth=3)
