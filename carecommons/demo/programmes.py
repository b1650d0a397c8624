"""The demo's Radical Self-Care programme and Care Lab gatherings, through the real services."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.demo import listening, measures
from carecommons.demo.fixtures import CURRICULUM
from carecommons.people.models import Organisation, Person
from carecommons.programmes import services
from carecommons.programmes.models import Cohort, Session

REPORTS = [
    (
        "Warm start; agreements made together.",
        "People wanted more time in pairs.",
        "Share the agreements by email.",
    ),
    (
        "Lively discussion of the threat system.",
        "Online worked well; two people had connection problems.",
        "Send the breathing audio.",
    ),
    (
        "Powerful session on receiving care.",
        "Several people found this hard; check in with them.",
        "Facilitators to phone three people this week.",
    ),
]


def at(days_from_now: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_from_now)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load_programmes(
    *,
    convenor: User,
    facilitator: Person,
    leader: Person,
    cohort_people: list[Person],
    partners: list[Organisation],
    organisations: list[Organisation],
    organisers: list[Person],
    care_lab_members: list[Person],
) -> listening.Cast:
    """The programme, its cohorts and the Riverside Care Lab; returns the lab's cast of people."""
    programme = services.create_programme(
        by=convenor,
        name="Growing Cultures of Radical Caring",
        description=(
            "Eight workshops on Radical Self-Care for people who hold their communities together, "
            "with action learning sets in between. Based on Compassion Focused Therapy and its three "
            "flows of compassion: to ourselves, from others, and to others."
        ),
        partners=partners,
    )
    templates = [
        services.add_session_template(programme=programme, by=convenor, title=t, aims=a, practice=p)
        for t, a, p in CURRICULUM
    ]
    start = timezone.localdate() - timedelta(days=43)
    cohort = services.create_cohort(
        programme=programme,
        by=convenor,
        name="Cohort 2026",
        starts_on=start,
        ends_on=start + timedelta(days=7 * 16),
        capacity=30,
    )
    services.add_facilitator(cohort=cohort, person=facilitator, lived_experience_leader=False, by=convenor)
    services.add_facilitator(cohort=cohort, person=leader, lived_experience_leader=True, by=convenor)
    for index, person in enumerate(cohort_people):
        services.enrol_person(
            cohort=cohort,
            person=person,
            by=convenor,
            organisation=organisations[index // 2],
            access_needs=person.accessibility_needs,
        )
    sessions = schedule_workshops(cohort, templates, convenor, facilitator, leader)
    take_registers(sessions[:4], cohort_people, convenor)
    for session, (notes, reflections, follow_ups) in zip(sessions[:3], REPORTS, strict=True):
        services.save_closing_report(
            session=session,
            by=convenor,
            notes=notes,
            reflections=reflections,
            follow_ups=follow_ups,
            complete=True,
        )
    spring = services.create_cohort(
        programme=programme,
        by=convenor,
        name="Spring 2027",
        starts_on=start + timedelta(days=150),
        ends_on=start + timedelta(days=262),
        capacity=24,
        signup_open=True,
        signup_intro="For people who hold a grassroots group together and want to look after themselves too.",
    )
    lab_cast = load_care_lab(convenor=convenor, organisers=organisers, members=care_lab_members)
    load_partner_demos(
        cohort=cohort,
        spring=spring,
        sessions=sessions,
        people=cohort_people,
        convenor=convenor,
        facilitator=facilitator,
    )
    measures.load(
        programme=programme,
        cohort=cohort,
        cohort_people=cohort_people,
        convenor=convenor,
        facilitator=facilitator,
        leader=leader,
    )
    return lab_cast


def schedule_workshops(
    cohort: Cohort, templates: list, convenor: User, facilitator: Person, leader: Person
) -> list[Session]:
    modes = ["in_person", "online", "hybrid", "in_person", "online", "in_person", "hybrid", "in_person"]
    sessions = []
    for index, (template, mode) in enumerate(zip(templates, modes, strict=True)):
        starts = at(-43 + 14 * index, 10)
        sessions.append(
            services.schedule_session(
                cohort=cohort,
                by=convenor,
                template=template,
                title=f"Workshop {index + 1}: {template.title}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2, minutes=30),
                mode=mode,
                location="" if mode == "online" else "Zion Arts Centre, Hulme, Manchester",
                meeting_link=""
                if mode == "in_person"
                else f"https://meet.example.org/radical-caring-{index + 1}",
                agenda=f"Check-in; {template.aims} Practice: {template.practice} Close.",
                facilitators=[facilitator, leader],
            )
        )
    return sessions


def take_registers(sessions: list[Session], people: list[Person], convenor: User) -> None:
    for s_index, session in enumerate(sessions):
        for p_index, person in enumerate(people):
            pattern = (p_index * 7 + s_index * 3) % 20
            status = "absent" if pattern == 0 else "apologies" if pattern in (1, 2) else "attended"
            services.record_attendance(
                session=session, person=person, status=status, late=pattern == 3, by=convenor
            )


def load_care_lab(*, convenor: User, organisers: list[Person], members: list[Person]) -> listening.Cast:
    lab = services.create_programme(
        by=convenor,
        kind="care_lab",
        name="Riverside Care Lab",
        description=(
            "Virtual gatherings where care workers, carers and residents share experiences "
            "and decide how to act."
        ),
    )
    gatherings = services.create_cohort(
        programme=lab,
        by=convenor,
        name="Gatherings 2026",
        starts_on=timezone.localdate() - timedelta(days=30),
        ends_on=timezone.localdate() + timedelta(days=150),
        capacity=40,
    )
    for organiser in organisers:
        services.add_facilitator(
            cohort=gatherings, person=organiser, lived_experience_leader=False, by=convenor
        )
    for member in members:
        services.enrol_person(cohort=gatherings, person=member, by=convenor)
    # Conversations and the network three months ago, before this gathering (demo/listening.py).
    listening_cast = listening.load_first_months(
        lab=lab, cohort=gatherings, convenor=convenor, organisers=organisers, members=members
    )
    past = services.schedule_session(
        cohort=gatherings,
        by=convenor,
        title="Gathering: what caring costs us",
        starts_at=at(-12, 18),
        ends_at=at(-12, 19) + timedelta(minutes=30),
        mode="online",
        meeting_link="https://meet.example.org/riverside-1",
        agenda="Stories in small groups; what we heard.",
        facilitators=organisers[:2],
    )
    for index, member in enumerate(members):
        services.record_attendance(
            session=past, person=member, status="attended" if index % 4 else "apologies", by=convenor
        )
    services.save_closing_report(
        session=past,
        by=convenor,
        notes="Eight stories shared about unpaid overtime and isolation.",
        reflections="People want to meet in person next time.",
        follow_ups="Priya to book the library room.",
        complete=True,
    )
    services.schedule_session(
        cohort=gatherings,
        by=convenor,
        title="Gathering: deciding what to act on",
        starts_at=at(9, 18),
        ends_at=at(9, 19) + timedelta(minutes=30),
        mode="online",
        meeting_link="https://meet.example.org/riverside-2",
        agenda="Map what we have; choose one thing to do.",
        facilitators=organisers[:2],
    )
    listening.load_recent_months(listening_cast)
    return listening_cast


def load_partner_demos(
    *,
    cohort: Cohort,
    spring: Cohort,
    sessions: list[Session],
    people: list[Person],
    convenor: User,
    facilitator: Person,
) -> None:
    """Sign-ups, learning sets, calendars and guests add their part of the demo."""
    from carecommons.calendars import demo as calendars_demo
    from carecommons.guests import demo as guests_demo
    from carecommons.learningsets import demo as learningsets_demo
    from carecommons.signups import demo as signups_demo

    signups_demo.load(cohort=spring, convenor=convenor)
    learningsets_demo.load(cohort=cohort, members=people, convenor=convenor, facilitator_person=facilitator)
    calendars_demo.load(people=people[:1])
    guests_demo.load(session=sessions[5], inviter=convenor)
