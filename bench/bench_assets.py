"""The community assets page of a Care Lab with 100,000 assets: median and p95 render time, against
the same pages of a lab with 1,000 assets in the same database, and the query count at both sizes.

The real page is rendered through Django's test client (middleware, access checks, template),
signed in as an organiser of both labs with two factors set up. Each lab gets the same mix of 200
requests: the first page, a category, a name search (a 2-5 letter prefix of a real name) and a deep
page near the end of the list. Assets go in with one executemany: 100,000 create_asset calls
would measure the writes, not the page.
"""

import random
import statistics
import sys
import time
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import support

if TYPE_CHECKING:
    from django.test import Client

    from carecommons.accounts.models import User
    from carecommons.programmes.models import Programme

LARGE, SMALL, REQUESTS, PAGE_SIZE = 100_000, 1_000, 200, 25
KINDS = ("first page", "category", "search", "deep page")
PLACES = (
    "Hyde Park",
    "Meanwood",
    "Harehills",
    "Chapeltown",
    "Armley",
    "Beeston",
    "Holbeck",
    "Burley",
    "Kirkstall",
    "Headingley",
    "Woodhouse",
    "Seacroft",
    "Gipton",
    "Bramley",
    "Pudsey",
    "Otley",
)
KINDS_OF_PLACE = (
    "Community Garden",
    "Allotments",
    "Library",
    "Food Bank",
    "Larder",
    "Repair Cafe",
    "Men's Shed",
    "Choir",
    "Youth Club",
    "Mosque",
    "Church",
    "Gurdwara",
    "Park",
    "Woods",
    "Credit Union",
    "Market",
    "Bakery",
    "Lunch Club",
    "Knit and Natter",
)
CATEGORIES = [
    "individual",
    "association",
    "institution",
    "physical",
    "economic",
    "cultural",
    "natural",
    "connection",
]


def make_organiser() -> "User":
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from carecommons.accounts.models import Role
    from carecommons.accounts.services import create_account
    from carecommons.people.services import create_person

    user = create_account(email="bench.organiser@example.org", password=None, roles=[Role.ORGANISER], by=None)
    TOTP.activate(user, generate_totp_secret())
    person = create_person(by=None, given_name="Bench", family_name="Organiser", email=user.email)
    person.user = user
    person.save(update_fields=["user"])
    return user


COLUMNS = (
    "created_at", "updated_at", "uuid", "lab_id", "name", "name_key", "category", "status", "description",
    "postcode", "latitude", "longitude", "moderation", "suggested_by_id", "moderated_by_id", "moderated_at",
    "moderation_note",
)  # fmt: skip
INSERT_ASSET = f"INSERT INTO assets_asset ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608


def check_columns() -> None:
    """Rows go in through executemany: a field added to Asset must be added here, not skipped."""
    from carecommons.assets.models import Asset

    model_columns = {field.column for field in Asset._meta.concrete_fields} - {"id"}
    assert model_columns == set(COLUMNS), sorted(model_columns ^ set(COLUMNS))


def asset_row(lab_id: int, n: int, now: str, rng: random.Random) -> tuple[str | int | float | None, ...]:
    from carecommons.lib.search_terms import fold

    place, kind = rng.choice(PLACES), rng.choice(KINDS_OF_PLACE)
    name = f"{place} {kind} {n}" if rng.random() < 0.8 else f"{kind} of {place} {n}"
    located = rng.random() < 0.6
    values: dict[str, str | int | float | None] = {
        "created_at": now,
        "updated_at": now,
        "uuid": uuid.UUID(int=rng.getrandbits(128), version=4).hex,
        "lab_id": lab_id,
        "name": name,
        "name_key": fold(name),
        "category": rng.choice(CATEGORIES),
        "status": rng.choices(["exists", "suggested", "lost"], [85, 10, 5])[0],
        "description": "",
        "postcode": f"LS{rng.randint(1, 29)} {rng.randint(1, 9)}AB" if located else "",
        "latitude": round(53.7 + rng.random() * 0.2, 6) if located else None,
        "longitude": round(-1.7 + rng.random() * 0.3, 6) if located else None,
        "moderation": rng.choices(["accepted", "pending", "rejected"], [95, 3, 2])[0],
        "suggested_by_id": None,
        "moderated_by_id": None,
        "moderated_at": None,
        "moderation_note": "",
    }
    return tuple(values[column] for column in COLUMNS)


def make_lab(name: str, organiser: "User", assets: int, rng: random.Random) -> "Programme":
    """A lab organised by `organiser` with `assets` assets: 95 % accepted, 3 % waiting, 2 % declined;
    85 % existing; 60 % with a postcode and coordinates. Written with one executemany: bulk_create
    spends about half a millisecond a row preparing it, which made it most of this benchmark's time."""
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from carecommons.programmes import services

    lab = services.create_programme(by=None, name=name, description="Bench lab.", kind="care_lab")
    today = timezone.localdate()
    cohort = services.create_cohort(
        programme=lab,
        by=None,
        name="Members",
        starts_on=today,
        ends_on=today + timedelta(days=70),
        capacity=30,
    )
    services.add_facilitator(cohort=cohort, person=organiser.person, lived_experience_leader=False, by=None)
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S.%f")
    rows = [asset_row(lab.pk, n, now, rng) for n in range(assets)]
    with transaction.atomic(), connection.cursor() as cursor:  # one commit, not one per row
        cursor.executemany(INSERT_ASSET, rows)
    return lab


def request_mix(lab: "Programme", rng: random.Random) -> list[tuple[str, str]]:
    """(kind, path) for REQUESTS requests, the four kinds in equal shares, seeded."""
    from django.urls import reverse

    from carecommons.assets.models import Asset

    base = reverse("assets:asset_list", args=[lab.uuid])
    accepted = Asset.objects.filter(lab=lab, moderation="accepted").count()
    last_page = (accepted + PAGE_SIZE - 1) // PAGE_SIZE
    names = list(Asset.objects.filter(lab=lab, moderation="accepted").values_list("name", flat=True)[:5000])
    mix = []
    for i in range(REQUESTS):
        kind = KINDS[i % len(KINDS)]
        params: dict[str, object] = {}
        if kind == "category":
            params = {"category": rng.choice(CATEGORIES)}
        elif kind == "search":
            params = {"q": rng.choice(names)[: rng.randint(2, 5)]}
        elif kind == "deep page":
            params = {"page": rng.randint(max(1, last_page * 9 // 10), last_page)}
        mix.append((kind, f"{base}?{urlencode(params)}" if params else base))
    return mix


def timings_ms(client: "Client", mix: list[tuple[str, str]]) -> dict[str, list[float]]:
    for _, path in mix[:8]:
        client.get(path)  # warm the page cache and Django's template and URL caches
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for kind, path in mix:
        started = time.perf_counter()
        response = client.get(path)
        times[kind].append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def query_counts(client: "Client", mix: list[tuple[str, str]]) -> list[int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for kind in KINDS:
        path = next(path for k, path in mix if k == kind)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200 and len(response.context["listed"]) > 0, path
        counts.append(len(captured.captured_queries))
    return counts


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[18]


def main() -> list[str]:
    support.setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # keeps response.context, so the query-count check can see the rows
    check_columns()
    rng = random.Random(20261122)
    organiser = make_organiser()
    started = time.perf_counter()
    small_lab = make_lab("Small lab", organiser, SMALL, rng)
    large_lab = make_lab("Large lab", organiser, LARGE, rng)
    support.log(f"made {SMALL + LARGE:,} assets in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(organiser)
    small_mix, large_mix = request_mix(small_lab, rng), request_mix(large_lab, rng)

    small, large = timings_ms(client, small_mix), timings_ms(client, large_mix)
    for kind in KINDS:
        support.log(
            f"{kind}: 1,000 p50 {statistics.median(small[kind]):.1f} ms p95 {p95(small[kind]):.1f}; "
            f"100,000 p50 {statistics.median(large[kind]):.1f} ms p95 {p95(large[kind]):.1f} ms"
        )
    small_all = [t for kind in KINDS for t in small[kind]]
    large_all = [t for kind in KINDS for t in large[kind]]
    small_queries, large_queries = query_counts(client, small_mix), query_counts(client, large_mix)
    support.log(
        f"queries per kind ({', '.join(KINDS)}): {small_queries} at 1,000, {large_queries} at 100,000"
    )
    lines = [
        support.line("assets_page_p50", statistics.median(large_all), "ms", statistics.median(small_all)),
        support.line("assets_page_p95", p95(large_all), "ms", p95(small_all)),
        support.line("assets_deep_page_p95", p95(large["deep page"]), "ms", p95(small["deep page"])),
        support.line("assets_page_queries", max(large_queries), "queries", max(small_queries)),
    ]
    if large_queries != small_queries:
        print(*lines, sep="\n")
        sys.exit(
            f"assets page query count grows with rows: {small_queries} at 1,000, {large_queries} at 100,000"
        )
    return lines


if __name__ == "__main__":
    print(*main(), sep="\n")
