"""Loads the demo through the same services the app uses."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.accounts.services import create_account
from carecommons.demo import fixtures
from carecommons.demo.deciding import load_action_group, load_decisions
from carecommons.demo.money import load_money
from carecommons.demo.programmes import load_programmes
from carecommons.demo.ripples import load_ripples
from carecommons.demo.trial import load_trial
from carecommons.people import services
from carecommons.people.models import ConsentMethod, Organisation, Person


def demo_loaded() -> bool:
    return User.objects.filter(email=fixtures.DEMO_ACCOUNTS["convenor"][0], is_demo=True).exists()


@transaction.atomic
def load_demo() -> dict[str, int]:
    now = timezone.now()
    accounts = {
        persona: create_account(
            email=email,
            password=None,
            roles=roles,
            by=None,
            display_name=f"{first} {last}",
            is_demo=True,
        )
        for persona, (email, first, last, roles) in fixtures.DEMO_ACCOUNTS.items()
    }
    # One slow hash shared by all the demo accounts, rather than one each.
    User.objects.filter(is_demo=True).update(password=make_password(fixtures.DEMO_PASSWORD))
    convenor = accounts["convenor"]
    wordings = {
        purpose: services.publish_wording(purpose=purpose, text=text, by=convenor)
        for purpose, text in fixtures.WORDINGS.items()
    }

    def org(name: str, kind: str, area: str, **extra: str) -> Organisation:
        return services.create_organisation(by=convenor, name=name, kind=kind, area=area, **extra)

    partnership = org(*fixtures.PARTNERSHIP, description="Convenes the Radical Self-Care programme.")
    care_lab = org(*fixtures.CARE_LAB, description="Community organising for social care.")
    mutual_aid = org(*fixtures.MUTUAL_AID, description="Neighbours helping neighbours since 2020.")
    grassroots = [
        org(name, "grassroots", area, description="A grassroots group taking part in Radical Self-Care.")
        for name, area in fixtures.GRASSROOTS
    ]

    def person(first: str, last: str, *, tags: list[str], user: User | None = None, **extra: str) -> Person:
        email = user.email if user else f"{first}.{last}".lower().replace("'", "") + "@example.org"
        created = services.create_person(
            by=convenor, given_name=first, family_name=last, email=email, tags=tags, **extra
        )
        if user is not None:
            Person.objects.filter(pk=created.pk).update(user=user)
        return created

    staff = {}
    for persona in ("convenor", "facilitator", "evaluator"):
        _, first, last, _ = fixtures.DEMO_ACCOUNTS[persona]
        staff[persona] = person(first, last, tags=["staff"], user=accounts[persona])
        services.add_affiliation(person=staff[persona], organisation=partnership, role=persona, by=convenor)
    leader = person(*fixtures.LIVED_EXPERIENCE_LEADER, tags=["staff"])
    services.add_affiliation(
        person=leader, organisation=partnership, role="lived-experience leader", by=convenor
    )

    cohort = []
    for index, (first, last, pronouns) in enumerate(fixtures.PARTICIPANTS):
        user = accounts["participant"] if index == 0 else None
        extra = {"accessibility_needs": "Prefers large print handouts."} if index % 7 == 3 else {}
        participant = person(
            first, last, tags=["radical-self-care", "cohort-2026"], user=user, pronouns=pronouns, **extra
        )
        services.add_affiliation(
            person=participant, organisation=grassroots[index // 2], role="representative", by=convenor
        )
        cohort.append(participant)
        decided = now - timedelta(days=60 - index)
        for purpose in ("contact", "programme", "research"):
            if purpose == "research" and index % 10 == 9:
                continue
            services.record_consent(
                person=participant,
                purpose=purpose,
                given=True,
                method=ConsentMethod.ONLINE,
                wording=wordings[purpose],
                decided_at=decided,
                by=convenor,
            )
        if index % 10 == 4:
            services.record_consent(
                person=participant,
                purpose="research",
                given=False,
                method=ConsentMethod.EMAIL,
                wording=wordings["research"],
                decided_at=decided + timedelta(days=20),
                by=convenor,
            )
    for a, b in zip(cohort[::2], cohort[1::2], strict=True):
        services.add_relationship(from_person=a, to_person=b, kind="colleague", by=convenor)

    organisers = []
    for first, last in fixtures.CARE_LAB_ORGANISERS:
        user = accounts["organiser"] if first == "Priya" else None
        organiser = person(first, last, tags=["care-lab"], user=user)
        services.add_affiliation(person=organiser, organisation=care_lab, role="organiser", by=convenor)
        organisers.append(organiser)
    care_lab_members = []
    for index, (first, last, role) in enumerate(fixtures.CARE_LAB_MEMBERS):
        member = person(first, last, tags=["care-lab"])
        care_lab_members.append(member)
        services.add_affiliation(person=member, organisation=care_lab, role=role, by=convenor)
        services.add_relationship(
            from_person=organisers[index % 3], to_person=member, kind="introduced", by=convenor
        )
        services.record_consent(
            person=member,
            purpose="contact",
            given=True,
            method=ConsentMethod.VERBAL,
            wording=wordings["contact"],
            decided_at=now - timedelta(days=30),
            by=convenor,
        )

    logins = {(first, last): accounts[key] for key, (_, first, last, _) in fixtures.DEMO_ACCOUNTS.items()}
    for first, last, role in fixtures.MUTUAL_AID_MEMBERS:
        member = person(first, last, tags=["mutual-aid"], user=logins.get((first, last)))
        services.add_affiliation(person=member, organisation=mutual_aid, role=role, by=convenor)
    services.record_consent(
        person=cohort[1],
        purpose="sharing",
        given=True,
        method=ConsentMethod.PAPER,
        wording=wordings["sharing"],
        partner=care_lab,
        decided_at=now - timedelta(days=10),
        by=convenor,
    )
    # One deliberate duplicate, as happens when someone signs up twice.
    services.create_person(
        by=convenor,
        given_name="Bilal",
        family_name="Hussain",
        email="bilal.h@example.org",
        phone="07700 900123",
    )
    lab_cast = load_programmes(
        convenor=convenor,
        facilitator=staff["facilitator"],
        leader=leader,
        cohort_people=cohort,
        partners=[partnership, *grassroots[:2]],
        organisations=grassroots,
        organisers=organisers,
        care_lab_members=care_lab_members,
    )
    load_money(
        convenor=convenor,
        organisation=mutual_aid,
        logins={key: accounts[key] for key in ("treasurer", "member", "approver", "approver2")},
    )
    action_group = load_action_group(
        cast=lab_cast,
        care_lab=care_lab,
        logins={key: accounts[key] for key in ("organiser", "participant", "member")},
    )
    load_decisions(action_group)
    load_trial(convenor=convenor, evaluator=accounts["evaluator"])
    load_ripples(
        facilitator=accounts["facilitator"],
        participant=accounts["participant"],
        second_coder=convenor,
    )
    return {"people": Person.objects.count(), "organisations": Organisation.objects.count()}
