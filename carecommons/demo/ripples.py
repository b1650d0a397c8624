"""The demo's ripple map of Growing Cultures of Radical Caring (issue 15), through the real services.

Two rounds four months apart. The first brought together people from the earlier courses (the
trial's Hackney and Salford cohorts) and, as a stakeholder, Amara (the demo participant) for the
Cheetham Hill Women's Circle. The second was started from a workshop of Cohort 2026, which invites
its members. Tomasz (the demo facilitator) facilitates both and codes every ripple as it is added;
Grace (the convenor, who looks after every map) codes about half of them a second time and sees a
quarter of those differently, a capital more or fewer, as a second coder new to a map does.
The second round grows the first round's branches and adds its own; one effect named in both rounds
is merged. Three pieces of evidence are kept with consent, one of them shared beyond the round.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.initiatives.models import Initiative
from carecommons.lib.dates import add_months
from carecommons.people.models import Organisation, Person
from carecommons.programmes.models import Cohort, EnrolmentStatus, Programme, Session
from carecommons.ripples import services
from carecommons.ripples.models import EvidenceShare, InviteeKind, MappingRound, Ripple
from carecommons.ripples.services import RippleWords

PROGRAMME = "Growing Cultures of Radical Caring"
COHORT = "Cohort 2026"
SESSION = "Workshop 3:"  # the workshop the second round is started from, 15 days ago
FIRST_ROUND = "Ripple map: a year after the first courses"
SECOND_ROUND = "Ripple map: four months on"


@dataclass(frozen=True)
class Told:
    """A ripple as someone told it: `by` is who named it (a place in the round's list of people),
    `weeks` how long before the round it happened (None: nobody remembered), `links` the names of
    organisations or titles of initiatives it affected."""

    key: str
    text: str
    capitals: str
    weeks: int | None
    parent: str = ""
    valence: str = "positive"
    intent: str = "unintended"
    by: int = 0
    links: tuple[str, ...] = ()


FIRST = [
    Told("no", "I started saying no to extra shifts at the food bank without feeling guilty",
         "human", 30, intent="intended", by=1, links=("Levenshulme Food Friends",)),
    Told("rota", "The food bank set up a rota so nobody does more than two sessions a week",
         "social built", 24, "no", by=1, links=("Levenshulme Food Friends",)),
    Told("back", "Two volunteers who had left came back because the load is shared now",
         "social human", 16, "rota", by=1),
    Told("tuesday", "Some older volunteers felt the rota pushed them out of 'their' Tuesday",
         "cultural social", 14, "rota", "negative", by=2),
    Told("calmer", "My daughter says I'm calmer at home and we argue less",
         "human social", 20, "no", by=1),
    Told("breathing", "The Harpurhey walking group opens every walk with the soothing-rhythm breathing",
         "human cultural", 36, intent="intended", by=3, links=("Harpurhey Walking Group",)),
    Told("twenty", "Saturday walks went from six people to about twenty",
         "social human", 26, "breathing", by=3, links=("Harpurhey Walking Group",)),
    Told("ranger", "The park ranger asked the walkers to help plan the new path by the brook",
         "natural political", 12, "twenty", by=3),
    Told("litter", "Two walkers set up a litter pick on the first Sunday of the month",
         "natural social", 10, "twenty", by=4),
    Told("prescribing", "The GP surgery started social prescribing people to the walks",
         "political social", 15, "breathing", by=3),
    Told("pairs", "Peer support pairs kept meeting after the course ended",
         "social", 40, intent="intended", by=5),
    Told("whatsapp", "The pairs started a WhatsApp group for everyone from the course",
         "social", 34, "pairs", by=5),
    Told("late", "The WhatsApp group gets busy late at night and some of us feel we must answer",
         "human social", 18, "whatsapp", "mixed", by=6),
    Told("hospital", "I rang my pair when my mum went into hospital instead of coping alone",
         "human social", 22, "pairs", intent="intended", by=6),
    Told("policy", "Hulme Recovery Cafe wrote a wellbeing policy for its volunteers",
         "cultural political", 32, intent="intended", by=7, links=("Hulme Recovery Cafe",)),
    Told("lottery", "The policy helped the cafe win a £9,800 lottery grant",
         "financial", 20, "policy", by=7, links=("Hulme Recovery Cafe",)),
    Told("coordinator", "The grant pays a part-time volunteer coordinator",
         "financial human", 8, "lottery", intent="intended", by=7),
    Told("report", "Writing the grant report took three volunteers' evenings for a month",
         "human", 4, "lottery", "negative", by=2),
    Told("burnout", "I took on everyone's problems after the course and burned out: six weeks off",
         "human", 28, "", "negative", by=8),
    Told("covered", "The group covered my sessions and nobody was left without help",
         "social", 26, "burnout", by=8),
    Told("capacity", "Our committee now starts every meeting by asking how much we each have in the tank",
         "cultural human", 12, "burnout", intent="intended", by=8),
    Told("garden", "The allotment collective started a wellbeing garden behind the community centre",
         "natural built", 38, intent="intended", by=4, links=("Ancoats Allotment Collective",)),
    Told("lease", "The council gave the garden a five-year lease for a peppercorn rent",
         "political built financial", 18, "garden", by=4),
    Told("sundays", "Refugee families from Rusholme grow food in the garden on Sundays",
         "social cultural natural", 9, "garden", by=0, links=("Rusholme Refugee Welcome",)),
    Told("scrutiny", "I spoke at the council's health scrutiny meeting about carers burning out",
         "political human", 21, intent="intended", by=2),
    Told("strategy", "The council added unpaid carers to its wellbeing strategy consultation",
         "political", 11, "scrutiny", by=2),
    Told("used", "Some of us felt used: they asked for our stories and nothing has changed yet",
         "political cultural", 6, "strategy", "mixed", by=6),
]  # fmt: skip

SECOND = [
    Told("lights", "Walkers asked the council to fix the broken lights on the canal path",
         "political built", 8, "breathing", intent="intended", by=5),
    Told("fixed", "The lights were fixed in six weeks and more women walk after dark",
         "built social", 2, "lights", by=5),
    Told("chair", "I stood down as chair of the food bank and Chloe took over",
         "human social", 10, "no", intent="intended", by=2),
    Told("pantry", "The food bank opened a pay-what-you-can pantry on Fridays",
         "financial social built", 6, "rota", by=2, links=("Levenshulme Food Friends",)),
    Told("muted", "Half the WhatsApp group muted it; we made a daytime-only rule",
         "cultural social", 7, "whatsapp", "mixed", intent="intended", by=9),
    Told("lease-again", "The council let the garden have the land for five years",
         "political natural", 16, "garden", by=0),
    Told("checkin", "The Women's Circle starts every meeting with a check-in round",
         "cultural social", 14, intent="intended", by=0, links=("Cheetham Hill Women's Circle",)),
    Told("lead", "Women who never spoke at meetings now lead the check-in",
         "human cultural", 9, "checkin", by=0),
    Told("tenants", "Two of them stood for the tenants' association committee and were elected",
         "political", 3, "lead", by=0),
    Told("longer", "Meetings run half an hour longer and some people leave before the end",
         "social", 8, "checkin", "negative", by=10),
    Told("limit", "Northside Mutual Aid set a two-hour limit on shopping runs per volunteer",
         "human social", 15, intent="intended", by=11, links=("Northside Mutual Aid",)),
    Told("waited", "Fewer runs before Christmas: some people waited two days for food",
         "social financial", 12, "limit", "negative", by=11),
    Told("returned", "Volunteers who burned out last winter came back to the mutual aid group",
         "human social", 5, "limit", by=11),
    Told("diaries", "Care workers in the Care Lab started travel time diaries after hearing what we learned",
         "political human", 3, by=12, links=("Travel time diaries", "Riverside Care Lab")),
    Told("travel-pay", "Brightwater's rota manager asked to see the diaries before the next rota",
         "financial political", 1, "diaries", by=12, links=("Travel time diaries",)),
    Told("told-off", "Two care workers were told off for filling in the diary in work time",
         "political human", 2, "diaries", "negative", by=12),
    Told("coffee", "Carers and care workers asked the day centre for a room to meet over coffee",
         "social", 2, intent="intended", by=13,
         links=("Carers and care workers coffee mornings", "Riverside Care Lab")),
    Told("respite", "Asking around, a carer found out about respite she did not know she could have",
         "human financial", 1, "coffee", by=13),
    Told("somali", "Old Trafford Somali Families asked for the course in Somali",
         "cultural", 13, by=14, links=("Old Trafford Somali Families",)),
    Told("translate", "The partnership found a small grant to translate the workbook",
         "financial cultural", 9, "somali", intent="intended", by=14,
         links=("Growing Cultures of Radical Caring",)),
    Told("delayed", "Translating took longer than planned, so the Somali course starts in spring",
         "cultural", 3, "translate", "mixed", by=14),
    Told("cards", "Wythenshawe Young Carers made their own 'no' cards to use at school",
         "human", 12, intent="intended", by=15, links=("Wythenshawe Young Carers",)),
    Told("year-group", "A teacher asked for the cards for the whole year group",
         "cultural social", 7, "cards", by=15),
    Told("singled-out", "Some young carers felt singled out when the cards were handed round",
         "social", 5, "year-group", "mixed", by=15),
    Told("shed", "Moss Side Men's Shed added a tea-and-talk hour",
         "social human", 11, intent="intended", by=16, links=("Moss Side Men's Shed",)),
    Told("flat", "A man who had not left his flat for a year now comes every week",
         "human social", 7, "shed", by=16),
    Told("van", "A local firm gave the Men's Shed a van, so members without cars can come",
         "built financial", 4, "shed", by=16),
    Told("sewing", "Openshaw Sewing Bee made bunting for the garden's open day",
         "cultural social", None, "garden", by=17, links=("Openshaw Sewing Bee",)),
    Told("elders", "Ordsall Elders Lunch Club now asks its cooks to take turns",
         "human social", 10, intent="intended", by=18, links=("Ordsall Elders Lunch Club",)),
    Told("lunch-fewer", "With fewer cooks each week, the club serves one lunch a week instead of two",
         "social", 4, "elders", "negative", by=18),
    Told("deaf", "Longsight Deaf Social Club asked for a BSL interpreter at every workshop",
         "cultural political", 9, by=19, links=("Longsight Deaf Social Club",)),
    Told("interpreter", "The partnership now books an interpreter for every workshop",
         "political financial", 5, "deaf", intent="intended", by=19),
    Told("moved", "The lunch club moved into the new community room at the garden",
         "built social", None, "lease", by=18),
    Told("seeds", "The garden swaps seeds with the allotment society at the other end of the borough",
         "natural social", 2, "sewing", by=4),
]  # fmt: skip
MERGED = ("lease", "lease-again")  # the same lease, named in both rounds
# Helen's second coding: for these ripples the capitals she saw; for the others she codes (every
# other ripple on the map) the same capitals as Tomasz.
SECOND_OPINIONS = {
    "rota": "social",
    "ranger": "natural political social",
    "late": "human",
    "capacity": "cultural",
    "sundays": "social natural",
    "used": "political",
    "lead": "human",
    "diaries": "political",
    "coffee": "social cultural",
    "lottery": "financial political",
    "scrutiny": "political",
    "pantry": "financial social",
}
QUOTES = (
    ("twenty", 3, EvidenceShare.ROUND,
     "On the first walk I counted six of us. Last Saturday we stopped counting at twenty."),
    ("travel-pay", 12, EvidenceShare.BEYOND,
     "The manager read the first diaries and said, 'I didn't know it was that many hours.'"),
    ("burnout", 8, EvidenceShare.ROUND,
     "I thought looking after everyone was the point. Now I know it has to include me."),
)  # fmt: skip


def linked(names: tuple[str, ...]) -> list[Organisation | Initiative]:
    found: list[Organisation | Initiative] = []
    for name in names:
        organisation = Organisation.objects.filter(name=name).first()
        found.append(organisation or Initiative.objects.get(title=name))
    return found


def add(
    mapping_round: MappingRound, told: Told, people: list[Person], made: dict[str, Ripple], by: User
) -> None:
    happened = None if told.weeks is None else mapping_round.held_on - timedelta(weeks=told.weeks)
    made[told.key] = services.add_ripple(
        mapping_round=mapping_round,
        words=RippleWords(told.text, happened, told.valence, told.intent),
        by=by,
        parent=made[told.parent] if told.parent else None,
        capitals=told.capitals.split(),
        named_by=people[told.by % len(people)],
        links=linked(told.links),
    )


def load_ripples(*, facilitator: User, participant: User, second_coder: User) -> list[MappingRound]:
    programme = Programme.objects.get(name=PROGRAMME)
    cohort = Cohort.objects.get(programme=programme, name=COHORT)
    session = Session.objects.get(cohort=cohort, title__startswith=SESSION)
    second_day: date = timezone.localtime(session.starts_at).date()
    amara = Person.objects.get(user=participant)
    earlier = list(
        Person.objects.filter(
            enrolments__cohort__programme=programme, enrolments__status=EnrolmentStatus.ACCEPTED
        )
        .exclude(enrolments__cohort=cohort)
        .order_by("id")[:12]
    )
    first = services.start_round(
        programme=programme,
        title=FIRST_ROUND,
        held_on=add_months(second_day, -4),
        facilitator=Person.objects.get(user=facilitator),
        by=facilitator,
        invitees=[(person, InviteeKind.PARTICIPANT) for person in earlier],
    )
    services.invite(mapping_round=first, person=amara, kind=InviteeKind.STAKEHOLDER, by=facilitator)
    made: dict[str, Ripple] = {}
    for told in FIRST:
        add(first, told, [amara, *earlier], made, facilitator)
    services.close_round(mapping_round=first, by=facilitator)
    second = services.start_round_from_session(session=session, by=facilitator, title=SECOND_ROUND)
    cohort_people = [invitee.person for invitee in second.invitees.select_related("person").order_by("id")]
    for told in SECOND:
        add(second, told, cohort_people, made, facilitator)
    keep, drop = MERGED
    services.merge_ripples(keep=made[keep], drop=made.pop(drop), by=facilitator)
    for index, (key, ripple) in enumerate(made.items()):
        if index % 2 == 0 or key in SECOND_OPINIONS:
            ripple.refresh_from_db()
            opinion = SECOND_OPINIONS.get(key)
            capitals = opinion.split() if opinion else ripple.capitals
            services.second_code(ripple=ripple, capitals=capitals, by=second_coder)
    for key, by, shared, quote in QUOTES:
        ripple = made[key]
        people = [amara, *earlier] if ripple.round_id == first.pk else cohort_people
        services.add_evidence(
            ripple=ripple,
            given_by=people[by % len(people)],
            shared=shared,
            by=facilitator,
            consented=True,
            quote=quote,
        )
    return [first, second]


def where_to_look() -> str:
    programme = Programme.objects.filter(name=PROGRAMME, ripple_rounds__isnull=False).first()
    if programme is None:
        return ""
    return (
        f"\nRipple effects mapping: {PROGRAMME}'s map (Ripple maps, /ripples/maps/{programme.uuid}/), two "
        "rounds four months apart. Sign in as facilitator (both rounds' facilitator: map, timeline, "
        "capitals, coders' agreement, changes between rounds, downloads) or as participant (invited: "
        "adds ripples to the open round)."
    )
