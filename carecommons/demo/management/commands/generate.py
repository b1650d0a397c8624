"""`carecommons generate --people N`: a large, seeded, fictional directory for benchmarks and demos.

Rows go in with plain `executemany` INSERTs rather than bulk_create: with bulk_create, 100,000
people took over 90 s on a 2-core machine, most of it preparing every field of every row in
Python, while only a few columns differ from row to row. One `demo.generated` audit event
records the whole run instead of one per person. Emails are numbered after the people already in
the directory, so the same arguments on the same directory give the same data, and a top-up
never repeats an address.
"""

import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from carecommons.audit.services import record_event
from carecommons.demo import names
from carecommons.lib.search_terms import fold
from carecommons.people.models import Affiliation, Organisation, OrganisationKind, Person, SearchTerm
from carecommons.people.services import organisation_name_key, person_sort_key, search_terms_of

BATCH_SIZE = 5000
PRONOUNS = ("", "", "she/her", "he/him", "they/them")
KINDS = OrganisationKind.values


def organisation_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` (name, area) pairs with distinct names: 'Area Noun' first, then qualified, then numbered."""
    plain = [(f"{area} {noun}", area) for area in names.AREAS for noun in names.ORGANISATION_NOUNS]
    qualified = [
        (f"{area} {qualifier} {noun}", area)
        for area in names.AREAS
        for qualifier in names.ORGANISATION_QUALIFIERS
        for noun in names.ORGANISATION_NOUNS
    ]
    pool = rng.sample(plain, len(plain)) + rng.sample(qualified, len(qualified))
    chosen: dict[str, tuple[str, str]] = {}
    number = 2
    while len(chosen) < count:
        for name, area in pool:
            chosen.setdefault(organisation_name_key(name), (name, area))
            if len(chosen) == count:
                break
        pool = [(f"{name} {number}", area) for name, area in plain]
        number += 1
    return list(chosen.values())


def make_organisations(rng: random.Random, count: int) -> tuple[list[Organisation], int]:
    """The organisations to affiliate people with, and how many of them already existed."""
    wanted = [
        Organisation(name=name, name_key=organisation_name_key(name), area=area, kind=rng.choice(KINDS))
        for name, area in organisation_names(rng, count)
    ]
    keys = [org.name_key for org in wanted]
    existing: dict[str, Organisation] = {}
    for start in range(0, len(keys), 500):
        existing |= {
            o.name_key: o for o in Organisation.objects.filter(name_key__in=keys[start : start + 500])
        }
    new = [org for org in wanted if org.name_key not in existing]
    Organisation.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return [existing.get(org.name_key, org) for org in wanted], len(existing)


def make_people(rng: random.Random, count: int, first_number: int) -> Iterator[Person]:
    sort_keys: dict[tuple[str, str], str] = {}
    for number in range(first_number, first_number + count):
        given, family = rng.choice(names.FIRST_NAMES), rng.choice(names.FAMILY_NAMES)
        person = Person(
            given_name=given,
            family_name=family,
            pronouns=rng.choice(PRONOUNS),
            email=f"{folded(given)}.{folded(family)}.{number}@example.org",
        )
        if (given, family) not in sort_keys:
            sort_keys[given, family] = person_sort_key(person)
        person.sort_key = sort_keys[given, family]
        yield person


@cache
def folded(name: str) -> str:
    return fold(name)


@cache
def name_terms(given: str, family: str) -> frozenset[str]:
    return frozenset(search_terms_of(Person(given_name=given, family_name=family), []))


@cache
def organisation_terms(name: str) -> frozenset[str]:
    return frozenset(search_terms_of(Person(), [name]))


def terms_of(person: Person, organisation: Organisation, scratch: Person) -> set[str]:
    """search_terms_of(person, [organisation.name]) a part at a time, the repeated parts cached.
    It is a union over the parts; test_generate checks the result against reindex_people."""
    scratch.email = person.email
    return (
        search_terms_of(scratch, [])
        | name_terms(person.given_name, person.family_name)
        | organisation_terms(organisation.name)
    )


def insert_rows(prototype: models.Model, varying: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT one row per item of `rows`, which holds database-ready values for the `varying` fields;
    every other column but the id comes from `prototype`, prepared once."""
    meta = prototype._meta
    concrete = {f.name: f for f in meta.concrete_fields if not f.primary_key}
    fixed = [f for name, f in concrete.items() if name not in varying]
    fixed_values = tuple(f.get_db_prep_save(f.pre_save(prototype, add=True), connection) for f in fixed)
    fields = [*fixed, *(concrete[name] for name in varying)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})",  # noqa: S608
            [(*fixed_values, *row) for row in rows],
        )


def chunks(items: Iterator[Person], size: int) -> Iterator[list[Person]]:
    chunk: list[Person] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def insert_people(batch: list[Person]) -> None:
    db_uuid = Person._meta.get_field("uuid").get_db_prep_save
    fields = ("uuid", "given_name", "family_name", "pronouns", "email", "sort_key")
    rows = [(db_uuid(p.uuid, connection), *(getattr(p, f) for f in fields[1:])) for p in batch]
    last_id = Person.objects.order_by("-id").values_list("id", flat=True).first() or 0
    insert_rows(batch[0], fields, rows)
    ids = dict(Person.objects.filter(id__gt=last_id).values_list("uuid", "id"))
    for person in batch:
        person.pk = ids[person.uuid]


@contextmanager
def large_page_cache() -> Iterator[None]:
    """Room for the indexes being filled, so SQLite does not spill and rewrite pages mid-transaction."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@transaction.atomic
def generate(*, people: int, organisations: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    orgs, reused = make_organisations(rng, organisations)
    counts = {"people": 0, "organisations": len(orgs) - reused, "reused_organisations": reused}
    counts |= {"affiliations": 0, "search_terms": 0}
    affiliation, scratch = Affiliation(), Person()
    with large_page_cache():
        for batch in chunks(make_people(rng, people, Person.objects.count() + 1), BATCH_SIZE):
            insert_people(batch)
            chosen = [(p, rng.choice(orgs), rng.choice(names.AFFILIATION_ROLES)) for p in batch]
            insert_rows(
                affiliation, ["person", "organisation", "role"], [(p.pk, o.pk, r) for p, o, r in chosen]
            )
            terms = sorted((term, p.pk) for p, org, _ in chosen for term in terms_of(p, org, scratch))
            insert_rows(SearchTerm(), ["term", "person"], terms)
            counts["people"] += len(batch)
            counts["affiliations"] += len(chosen)
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
