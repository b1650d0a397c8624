"""A programme's ripple map of any size, for benchmarks and tests: rounds four months apart (the
last a month ago), and ripples exactly `depth` levels deep, in every capital and valence, dated
within their round's four months, some linked to local organisations and about a third coded a
second time.

The rounds go through services.start_round. The ripples, links and second codings do not go
through services.add_ripple and second_code: one audited transaction per ripple takes minutes at
5,000 ripples, so they are written with bulk_create, one level of the tree at a time (a child needs
its parent's id), in one transaction, with every field the services would set and no audit event.
Seeded: the same seed gives the same texts, tree, codes and dates relative to today.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from carecommons.lib.dates import add_months
from carecommons.people import services as people
from carecommons.people.models import Organisation, OrganisationKind
from carecommons.programmes.models import Programme
from carecommons.ripples import services
from carecommons.ripples.capitals import CAPITAL_IDS, Intent, Valence
from carecommons.ripples.models import InviteeKind, MappingRound, Ripple, RippleLink, SecondCoding

ROUND_MONTHS = 4
WHO = (
    "The walking group",
    "Two mums from the course",
    "The food bank volunteers",
    "A retired nurse in the group",
    "The peer support circle",
    "Young carers",
    "The tenants' association",
    "People from the mosque",
    "The Tuesday craft group",
    "A councillor who came once",
    "Our facilitator",
    "The allotment society",
)
DID = (
    "started",
    "set up",
    "asked the council for",
    "found a grant for",
    "ran",
    "took over",
    "wrote to the paper about",
    "shared the cost of",
    "trained volunteers for",
    "got the surgery to back",
)
WHAT = (
    "a weekly peer support circle",
    "a wellbeing garden behind the library",
    "a community fridge",
    "a lift-share to the hospital",
    "a bereavement café",
    "a WhatsApp group for carers",
    "Saturday walks for newcomers",
    "a warm space in the church hall",
    "a benefits advice drop-in",
    "a repair café",
    "a youth mentoring scheme",
    "a petition about the bus route",
)
BUT = ("and two people burned out", "but it split the group", "and the regulars felt pushed out")
ORGANISATIONS = ("Northfield Food Bank", "Eastside Tenants' Association", "Riverside Surgery")
VALENCE_WEIGHTS = {Valence.POSITIVE: 0.74, Valence.NEGATIVE: 0.12, Valence.MIXED: 0.14}
INTENTS = tuple(Intent)


def level_sizes(ripples: int, depth: int) -> list[int]:
    """How many ripples at each level: growing outwards, as maps do, with at least one at each."""
    weights = [1.5**level for level in range(depth)]
    sizes = [1 + int((ripples - depth) * weight / sum(weights)) for weight in weights]
    sizes[-1] += ripples - sum(sizes)
    return sizes


def words(rng: random.Random, valence: Valence) -> str:
    text = f"{rng.choice(WHO)} {rng.choice(DID)} {rng.choice(WHAT)}"
    return f"{text} {rng.choice(BUT)}" if valence is not Valence.POSITIVE else text


def capitals(rng: random.Random, index: int) -> list[str]:
    """One to three capitals; the first seven ripples take one capital each, so all seven are used."""
    chosen = {CAPITAL_IDS[index % len(CAPITAL_IDS)]} if index < len(CAPITAL_IDS) else set()
    chosen.update(rng.sample(CAPITAL_IDS, rng.choice((1, 1, 2, 2, 3)) - len(chosen)))
    return [id for id in CAPITAL_IDS if id in chosen]


def second_opinion(rng: random.Random, first: list[str]) -> list[str]:
    """A second coder who mostly agrees: a capital sometimes left out, sometimes one added."""
    chosen = set(first)
    if len(chosen) > 1 and rng.random() < 0.25:
        chosen.discard(rng.choice(sorted(chosen)))
    if rng.random() < 0.25:
        chosen.add(rng.choice(CAPITAL_IDS))
    return [id for id in CAPITAL_IDS if id in chosen]


def organisations() -> list[Organisation]:
    found = []
    for name in ORGANISATIONS:
        existing = Organisation.objects.filter(name_key=people.organisation_name_key(name)).first()
        found.append(
            existing or people.create_organisation(by=None, name=name, kind=OrganisationKind.CHARITY)
        )
    return found


def happened_on(rng: random.Random, round_day: date, parent: Ripple | None) -> date:
    """A day in the four months before the round, not before the ripple it spread from."""
    earliest = round_day - timedelta(days=30 * ROUND_MONTHS)
    if parent is not None and parent.happened_on is not None:
        earliest = max(earliest, parent.happened_on)
    return earliest + timedelta(days=rng.randint(0, max((round_day - earliest).days, 0)))


def round_days(rounds: int, today: date) -> list[date]:
    """Four months apart, the last about a month before today."""
    first = add_months(today - timedelta(days=30), -ROUND_MONTHS * (rounds - 1))
    return [add_months(first, ROUND_MONTHS * index) for index in range(rounds)]


@transaction.atomic
def generate_map(
    *, programme: Programme, ripples: int, depth: int, rounds: int = 2, seed: int = 1
) -> list[MappingRound]:
    """`ripples` ripples (at least `depth`) exactly `depth` levels deep on `programme`'s map, named
    over `rounds` rounds; a ripple is named in its parent's round or a later one."""
    if depth < 1 or ripples < depth or rounds < 1:
        raise ValueError("Need at least one round, one level and a ripple per level.")
    rng = random.Random(seed)
    coder = people.create_person(by=None, given_name="Generated", family_name="First Coder")
    checker = people.create_person(by=None, given_name="Generated", family_name="Second Coder")
    days = round_days(rounds, timezone.localdate())
    made = [
        services.start_round(
            programme=programme,
            title=f"Ripple map round {index + 1}",
            held_on=day,
            facilitator=coder,
            by=None,
            invitees=[(coder, InviteeKind.PARTICIPANT), (checker, InviteeKind.STAKEHOLDER)],
        )
        for index, day in enumerate(days)
    ]
    linked_to = organisations()
    valences, weights = list(VALENCE_WEIGHTS), list(VALENCE_WEIGHTS.values())
    parents: list[tuple[Ripple, int]] = []
    index = 0
    links: list[RippleLink] = []
    codings: list[SecondCoding] = []
    for size in level_sizes(ripples, depth):
        level: list[tuple[Ripple, int]] = []
        for _ in range(size):
            parent, parent_round = rng.choice(parents) if parents else (None, 0)
            named_in = rng.randint(parent_round, rounds - 1) if rng.random() < 0.3 else parent_round
            valence = valences[index % 3] if index < 3 else rng.choices(valences, weights)[0]
            happened = None if rng.random() < 0.1 else happened_on(rng, days[named_in], parent)
            ripple = Ripple(
                programme=programme,
                round=made[named_in],
                parent=parent,
                text=words(rng, valence),
                happened_on=happened,
                valence=valence.value,
                intent=rng.choice(INTENTS).value,
                capitals=capitals(rng, index),
                coded_by=coder,
                named_by=coder,
            )
            level.append((ripple, named_in))
            if rng.random() < 0.06:
                links.append(RippleLink(ripple=ripple, organisation=rng.choice(linked_to)))
            if rng.random() < 0.33:
                codings.append(
                    SecondCoding(ripple=ripple, coder=checker, capitals=second_opinion(rng, ripple.capitals))
                )
            index += 1
        Ripple.objects.bulk_create([ripple for ripple, _ in level], batch_size=1000)
        parents = level
    RippleLink.objects.bulk_create(links, batch_size=1000)
    SecondCoding.objects.bulk_create(codings, batch_size=1000)
    return made
