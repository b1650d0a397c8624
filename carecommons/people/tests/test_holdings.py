"""Every app that holds rows about a person says so itself, and own data and erasure find them all
(decision 0026)."""

from django.apps import apps

from carecommons.people.erasure import KEPT
from carecommons.people.holdings import holdings
from carecommons.people.models import Person
from carecommons.people.own_data import SECTIONS

# Links to a person that no app's `personal_data.py` needs to name, each with the reason.
NOT_HELD: dict[str, str] = {}


def links_to_a_person() -> set[str]:
    return {
        f"{model._meta.app_label}.{model._meta.model_name}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is Person
    }


def declared() -> set[str]:
    return {f"{holding.label}.{link}" for holding in holdings() for link in holding.covers}


def test_every_link_from_a_model_to_a_person_is_declared_by_its_own_app_or_excused() -> None:
    links = links_to_a_person()
    assert len(links) > 25
    assert links - declared() - set(NOT_HELD) == set()


def test_no_app_declares_a_link_to_a_person_that_does_not_exist() -> None:
    assert declared() - links_to_a_person() == set()


def test_every_section_and_every_kept_row_an_app_declares_has_its_place_in_the_order() -> None:
    sections = {collector.key for holding in holdings() for collector in holding.sections}
    kept = {row.key for holding in holdings() for row in holding.kept}
    assert sections == set(SECTIONS)
    assert kept == set(KEPT)


def test_the_apps_holding_personal_data_are_found_lowest_first() -> None:
    labels = [holding.label for holding in holdings()]
    assert labels[0] == "people"
    assert {"programmes", "measures", "listening", "finances", "expenses"} <= set(labels)
    assert labels.index("finances") < labels.index("expenses")
