import random
from io import StringIO

import pytest
from django.core.management import call_command

from carecommons.audit.models import AuditEvent
from carecommons.demo.management.commands.generate import organisation_names
from carecommons.people.models import Affiliation, Organisation, Person, SearchTerm
from carecommons.people.services import organisation_name_key, person_sort_key, reindex_people

pytestmark = pytest.mark.django_db


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, list[tuple[str, ...]]]:
    return {
        "people": sorted(Person.objects.values_list("email", "given_name", "family_name", "pronouns")),
        "organisations": sorted(Organisation.objects.values_list("name", "kind", "area")),
        "affiliations": sorted(
            Affiliation.objects.values_list("person__email", "organisation__name", "role")
        ),
    }


def test_the_same_seed_gives_the_same_directory():
    generate("--people", "300")
    first = snapshot()
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    generate("--people", "300")
    assert snapshot() == first
    Person.objects.all().delete()
    Organisation.objects.all().delete()
    generate("--people", "300", "--seed", "2")
    assert snapshot()["people"] != first["people"]


def test_it_creates_the_rows_it_reports():
    output = generate("--people", "300")
    assert "Created 300 people, 6 organisations (0 reused), 300 affiliations" in output
    assert Person.objects.count() == 300
    assert Organisation.objects.count() == 6
    assert Affiliation.objects.count() == 300
    assert set(Affiliation.objects.values_list("person_id", flat=True)) == set(
        Person.objects.values_list("id", flat=True)
    )
    assert all(org.name.startswith(f"{org.area} ") for org in Organisation.objects.all())
    event = AuditEvent.objects.get(action="demo.generated")
    assert event.detail["people"] == 300
    assert event.detail["search_terms"] == SearchTerm.objects.count()


def test_emails_are_unique_and_at_example_org():
    generate("--people", "300")
    emails = list(Person.objects.values_list("email", flat=True))
    assert len(set(emails)) == 300
    assert all(email.endswith("@example.org") for email in emails)


def test_organisation_names_stay_distinct_beyond_every_combination_of_the_word_lists():
    chosen = organisation_names(random.Random(1), 30_000)
    assert len({organisation_name_key(name) for name, _area in chosen}) == 30_000


def test_a_second_run_reuses_organisations_and_repeats_no_email():
    generate("--people", "100")
    output = generate("--people", "100")
    assert "(2 reused)" in output
    assert Organisation.objects.count() == 2
    assert Person.objects.values("email").distinct().count() == 200


def test_sort_keys_and_search_terms_match_what_the_app_would_write():
    generate("--people", "300", "--organisations", "20")
    assert all(person.sort_key == person_sort_key(person) for person in Person.objects.all())
    generated = set(SearchTerm.objects.values_list("person_id", "term"))
    reindex_people(Person.objects.values_list("id", flat=True))
    assert set(SearchTerm.objects.values_list("person_id", "term")) == generated


def test_every_generated_person_is_found_by_family_name_and_by_organisation():
    generate("--people", "300")
    by_family: dict[str, set[int]] = {}
    for person_id, family_name in Person.objects.values_list("id", "family_name"):
        by_family.setdefault(family_name, set()).add(person_id)
    for family_name, ids in by_family.items():
        assert ids <= set(Person.objects.search(family_name).values_list("id", flat=True)), family_name
    for organisation in Organisation.objects.all():
        members = set(organisation.affiliations.values_list("person_id", flat=True))
        assert members <= set(Person.objects.search(organisation.name).values_list("id", flat=True))
