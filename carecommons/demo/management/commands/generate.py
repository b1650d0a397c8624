"""`carecommons generate --people N`: a large, seeded, fictional directory for benchmarks and demos.

Rows go in with bulk_create, so no per-person audit events are written: one `demo.generated`
event records the whole run. Emails are numbered after the people already in the directory, so
the same arguments on the same directory give the same data and a top-up never repeats an address.
"""

import random
import time
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from carecommons.audit.services import record_event
from carecommons.demo import names
from carecommons.lib.search_terms import fold
from carecommons.people.models import Affiliation, Organisation, OrganisationKind, Person, SearchTerm
from carecommons.people.services import organisation_name_key, person_sort_key, search_terms_of

BATCH_SIZE = 5000
PRONOUNS = ("", "", "she/her", "he/him", "they/them")


def organisation_names(rng: random.Random, count: int) -> list[str]:
    """`count` distinct names: plain 'Area Noun' first, then qualified, then numbered."""
    plain = [f"{area} {noun}" for area in names.AREAS for noun in names.ORGANISATION_NOUNS]
    qualified = [
        f"{area} {qualifier} {noun}"
        for area in names.AREAS
        for qualifier in names.ORGANISATION_QUALIFIERS
        for noun in names.ORGANISATION_NOUNS
    ]
    pool = rng.sample(plain, len(plain)) + rng.sample(qualified, len(qualified))
    chosen: dict[str, str] = {}
    number = 2
    while len(chosen) < count:
        for name in pool:
            chosen.setdefault(organisation_name_key(name), name)
            if len(chosen) == count:
                break
        pool = [f"{name} {number}" for name in plain]
        number += 1
    return list(chosen.values())


def existing_organisations(keys: list[str]) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for start in range(0, len(keys), 500):
        for org in Organisation.objects.filter(name_key__in=keys[start : start + 500]):
            found[org.name_key] = org
    return found


def make_organisations(rng: random.Random, count: int) -> tuple[list[Organisation], int]:
    """The organisations to affiliate people with, and how many of them already existed."""
    wanted = organisation_names(rng, count)
    existing = existing_organisations([organisation_name_key(name) for name in wanted])
    organisations, new = [], []
    for name in wanted:
        key = organisation_name_key(name)
        area = name.split(" ")[0]
        kind = rng.choice(OrganisationKind.values)
        org = existing.get(key) or Organisation(name=name, name_key=key, kind=kind, area=area)
        if org.pk is None:
            new.append(org)
        organisations.append(org)
    Organisation.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return organisations, len(existing)


def make_people(rng: random.Random, count: int, first_number: int) -> Iterator[Person]:
    for number in range(first_number, first_number + count):
        given, family = rng.choice(names.FIRST_NAMES), rng.choice(names.FAMILY_NAMES)
        person = Person(
            given_name=given,
            family_name=family,
            pronouns=rng.choice(PRONOUNS),
            email=f"{fold(given)}.{fold(family)}.{number}@example.org",
        )
        person.sort_key = person_sort_key(person)
        yield person


def chunks(items: Iterator[Person], size: int) -> Iterator[list[Person]]:
    chunk: list[Person] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert_search_terms(rows: list[tuple[int, str]]) -> None:
    """Ten rows a person: a plain executemany is several times faster than building model instances."""
    meta = SearchTerm._meta
    quote = connection.ops.quote_name
    table, person, term = (quote(meta.db_table), quote(meta.get_field("person").column), quote("term"))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({person}, {term}) VALUES (%s, %s)", rows)  # noqa: S608


@transaction.atomic
def generate(*, people: int, organisations: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    orgs, reused = make_organisations(rng, organisations)
    counts = {"people": 0, "organisations": len(orgs) - reused, "reused_organisations": reused}
    counts |= {"affiliations": 0, "search_terms": 0}
    for batch in chunks(make_people(rng, people, Person.objects.count() + 1), BATCH_SIZE):
        Person.objects.bulk_create(batch)
        affiliations = [
            Affiliation(
                person=person, organisation=rng.choice(orgs), role=rng.choice(names.AFFILIATION_ROLES)
            )
            for person in batch
        ]
        Affiliation.objects.bulk_create(affiliations)
        terms = [
            (a.person.pk, term)
            for a in affiliations
            for term in search_terms_of(a.person, [a.organisation.name])
        ]
        insert_search_terms(terms)
        counts["people"] += len(batch)
        counts["affiliations"] += len(affiliations)
        counts["search_terms"] += len(terms)
    record_event(actor=None, action="demo.generated", target=None, detail={**counts, "seed": seed})
    return counts


class Command(BaseCommand):
    help = "Add N fictional people (and their organisations) to the directory, seeded and repeatable."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="How many people to add.")
        parser.add_argument(
            "--organisations", type=int, default=None, help="How many organisations (default N // 50)."
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data.")

    def handle(self, *args: Any, **options: Any) -> None:
        people = options["people"]
        organisations = options["organisations"] or max(1, people // 50)
        if people < 1 or organisations < 1:
            raise CommandError("--people and --organisations must be at least 1.")
        started = time.perf_counter()
        counts = generate(people=people, organisations=organisations, seed=options["seed"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Created {counts['people']} people, {counts['organisations']} organisations "
            f"({counts['reused_organisations']} reused), {counts['affiliations']} affiliations "
            f"and {counts['search_terms']} search terms in {seconds:.1f} s."
        )
