"""The demo's questionnaires, through the real services: the programme's waves and safeguarding
leads, a finished cohort's answers over the year (with one safeguarding alert already followed up
and closed), this cohort's baseline, and a mid-point link open now for the participant persona, whose
mid-point CEAS forms are in already, so her own results page shows change over time.

The answers are written by hand to tell a believable story: most people's PHQ-9 and GAD-7 scores
fall a few points, some reliably; a few do not change and two get worse; self-compassion and
compassion from others rise while compassion to others starts high and stays there; some people
stop answering at later waves. CEAS has no wording this project may ship, so it is entered from
paper forms by the facilitator, at the first and last workshops.

Every answer goes through `save_answers`, which costs a few milliseconds, so the numbers are kept
to what the story needs: `carecommons demo` should stay quick.
"""

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.demo.fixtures import DEMO_ACCOUNTS
from carecommons.measures.access import invitation_token
from carecommons.measures.engine.scoring import Answer
from carecommons.measures.models import Invitation, ResponseMode, SafeguardingAlert, Wave
from carecommons.measures.running import notifications, safeguarding, services
from carecommons.measures.running.waves import wave_date
from carecommons.people import services as people
from carecommons.people.models import ConsentMethod, Person
from carecommons.programmes import services as programmes
from carecommons.programmes.models import AttendanceStatus, Cohort, Programme

CEAS = ("ceas_self", "ceas_from_others", "ceas_to_others")
WAVES = [
    ("baseline", 0, ("phq9", "gad7", "core10", *CEAS)),
    ("mid", 0, ("phq9", "gad7", *CEAS)),
    ("end", 0, ("phq9", "gad7", "core10", *CEAS)),
    ("follow_up", 12, ("phq9", "gad7")),
]
Scores = tuple[int, int | None, int | None, int | None]  # baseline, mid, end, follow-up

# The finished cohort, a group of twelve as the course runs them: (first, last, pronouns, PHQ-9 at
# each wave, GAD-7 at each wave, research consent). None: did not answer that wave. Keisha's
# mid-point PHQ-9 answers "several days" to item 9.
COHORT_2025: list[tuple[str, str, str, Scores, Scores, bool]] = [
    ("Abena", "Owusu", "she/her", (12, 9, 6, 5), (10, 8, 5, 5), True),
    ("Deepa", "Nair", "she/her", (15, 12, 8, 9), (13, 10, 7, 8), True),
    ("Emre", "Yildiz", "he/him", (6, 6, 5, None), (5, 5, 4, None), True),
    ("Fionnuala", "Quinn", "she/her", (11, 10, 9, 8), (9, 9, 8, 7), False),
    ("Gareth", "Lloyd", "he/him", (9, 10, 13, 12), (8, 9, 11, 10), True),
    ("Hana", "Suleiman", "she/her", (14, 11, 7, 7), (12, 9, 6, 7), True),
    ("Ifeoma", "Nwosu", "she/her", (10, 8, None, None), (11, 9, None, None), True),
    ("Keisha", "Grant", "she/her", (14, 16, 11, 9), (12, 13, 9, 8), True),
    ("Lowri", "Evans", "she/her", (5, 5, 4, 5), (4, 4, 4, 3), True),
    ("Mohammed", "Said", "he/him", (13, 11, 9, None), (10, 9, 6, None), False),
    ("Niamh", "Brennan", "she/her", (16, 14, 10, 10), (15, 12, 9, 9), True),
    ("Parveen", "Akhtar", "she/her", (11, 12, 17, 15), (9, 10, 14, 13), True),
]
# CEAS paper forms are handed out at the first and last workshops.
CEAS_WAVES = ("baseline", "end")
AT_RISK = ("Keisha", "mid")
FOLLOW_UP_NOTE = (
    "Phoned the morning after. The last fortnight has been hard after a death in the family; the "
    "thoughts come and go, she has no plans and feels safe at home with her sister. We went through "
    "who she can call (Samaritans 116 123, her GP, NHS 111) and she will book a GP appointment this "
    "week. She wants to keep coming to the workshops; I will check in after the next one."
)
# Cohort 2026's baseline: who did not answer (by their place in the cohort), the persona's PHQ-9 and
# GAD-7 (both moderate), and whose CEAS forms the facilitator has typed in so far.
SILENT_2026 = (5, 9, 16, 21, 23, 27)
PERSONA_2026 = (12, 11)
CEAS_TYPED_2026 = (0, 1, 2, 3)
# How far the persona's mid-point CEAS forms move on from her baseline ones (see ceas_answers): her
# compassion for herself and from others has grown; her compassion for others was high and stays so.
PERSONA_MID_GAIN = 3


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def spread(total: int, size: int, low: int, high: int) -> list[int]:
    """`size` answers from low to high that add up to total: as even as possible, then rippled so
    neighbouring answers differ, as real ones do."""
    total = min(max(total, low * size), high * size)
    base, extra = divmod(total - low * size, size)
    values = [low + base + (1 if index < extra else 0) for index in range(size)]
    for index in range(0, size - 1, 2):
        if values[index] < high and values[index + 1] > low:
            values[index] += 1
            values[index + 1] -= 1
    return values


def phq9(total: int, *, item9: int = 0) -> list[Answer]:
    main = spread(total - item9, 8, 0, 3)
    return [*main, item9, 1 if total >= 5 else 0]


def gad7(total: int) -> list[Answer]:
    return list(spread(total, 7, 0, 3))


def core10(score: int) -> list[Answer]:
    """Item 6 (the risk item) is 0; items 2 and 3 are reverse-scored, so their answers are flipped."""
    scored = spread(score, 9, 0, 4)
    scored.insert(5, 0)
    return [4 - value if position in (2, 3) else value for position, value in enumerate(scored, start=1)]


def ceas(engagement: int, action: int) -> list[Answer]:
    """Items 3, 7 and 11 are asked but not scored."""
    eng, act = spread(engagement, 6, 1, 10), spread(action, 4, 1, 10)
    return [eng[0], eng[1], 5, eng[2], eng[3], eng[4], 4, eng[5], act[0], act[1], 6, act[2], act[3]]


def ceas_answers(index: int, gain: int) -> dict[str, list[Answer]]:
    """A person's three flows: `gain` is how far their PHQ-9 has fallen since baseline."""
    gain = max(gain, -2)
    return {
        "ceas_self": ceas(24 + index * 5 % 12 + 2 * gain, 16 + index * 3 % 8 + gain),
        "ceas_from_others": ceas(28 + index * 7 % 10 + gain * 3 // 2, 18 + index * 2 % 8 + gain),
        "ceas_to_others": ceas(42 + index * 3 % 10 + gain // 3, 28 + index % 6),
    }


def load(
    *,
    programme: Programme,
    cohort: Cohort,
    cohort_people: list[Person],
    convenor: User,
    facilitator: Person,
    leader: Person,
) -> None:
    staff = User.objects.get(email=DEMO_ACCOUNTS["facilitator"][0])
    waves = {
        kind: services.save_wave(
            programme=programme, by=convenor, kind=kind, instruments=instruments, weeks_after_end=weeks
        )
        for kind, weeks, instruments in WAVES
    }
    services.set_safeguarding_leads(
        programme=programme, people=[facilitator, Person.objects.get(user=convenor)], by=convenor
    )
    load_2025(programme, waves, convenor=convenor, staff=staff, facilitators=[facilitator, leader])
    load_2026_baseline(cohort, cohort_people, waves["baseline"], staff=staff)
    load_2026_persona_mid_point(cohort, cohort_people[0], waves["mid"], staff=staff)


def load_2025(
    programme: Programme, waves: dict[str, Wave], *, convenor: User, staff: User, facilitators: list[Person]
) -> None:
    ends = timezone.localdate() - timedelta(days=120)
    cohort = programmes.create_cohort(
        programme=programme,
        by=convenor,
        name="Cohort 2025",
        starts_on=ends - timedelta(days=7 * 16),
        ends_on=ends,
        capacity=14,
    )
    for person, lived in zip(facilitators, (False, True), strict=True):
        programmes.add_facilitator(cohort=cohort, person=person, lived_experience_leader=lived, by=convenor)
    members = []
    for first, last, pronouns, _, _, research in COHORT_2025:
        person = people.create_person(
            by=convenor,
            given_name=first,
            family_name=last,
            pronouns=pronouns,
            email=f"{first}.{last}@example.org".lower(),
            tags=["cohort-2025"],
        )
        when = at(cohort.starts_on - timedelta(days=20), 12)
        decide_consents(person, research=research, when=when, by=convenor)
        programmes.enrol_person(cohort=cohort, person=person, by=convenor)
        members.append(person)
    for index, kind in enumerate(waves):
        wave = waves[kind]
        day = wave_date(kind, wave.weeks_after_end, cohort.starts_on, cohort.ends_on)
        services.open_due_invitations(now=at(day - timedelta(days=wave.opens_days_before), 10))
        invitations = {i.person_id: i for i in Invitation.objects.filter(wave=wave, cohort=cohort)}
        for number, (person, (first, _, _, phq, gad, _)) in enumerate(zip(members, COHORT_2025, strict=True)):
            if (depression := phq[index]) is None or (anxiety := gad[index]) is None:
                continue
            answered = at(day + timedelta(days=number % 5 - 2), 19)
            online = {
                "phq9": phq9(depression, item9=1 if (first, kind) == AT_RISK else 0),
                "gad7": gad7(anxiety),
            }
            if "core10" in wave.instruments:
                online["core10"] = core10(round((depression + anxiety) * 0.8))
            for instrument, answers in online.items():
                saved = services.save_answers(
                    invitation=invitations[person.pk],
                    instrument_id=instrument,
                    answers=answers,
                    send=True,
                    by=None,
                    now=answered,
                )
                if saved.alert is not None:
                    follow_up(saved.alert, staff)
            if kind in CEAS_WAVES:
                enter_paper(invitations[person.pk], ceas_answers(number, phq[0] - depression), staff, day)


def follow_up(alert: SafeguardingAlert, staff: User) -> None:
    # The email to the leads went out when the alert was raised; the demo does not send old mail,
    # so it records the telling (audited) without sending it.
    told = notifications.alert_recipients(alert)
    notifications.mark_notified(alert, count=len(told), now=alert.raised_at + timedelta(minutes=2))
    called = alert.raised_at + timedelta(hours=15)
    safeguarding.log_follow_up(
        alert=alert,
        by=staff,
        contacted_at=called,
        method="phone",
        note=FOLLOW_UP_NOTE,
        closes_alert=True,
        now=called + timedelta(minutes=20),
    )


def enter_paper(
    invitation: Invitation,
    forms: dict[str, list[Answer]],
    staff: User,
    day: date,
    *,
    typed: datetime | None = None,
) -> None:
    """Forms filled in at the workshop on `day` and typed in by the facilitator (`typed`; by default
    the next morning)."""
    for instrument, answers in forms.items():
        services.save_answers(
            invitation=invitation,
            instrument_id=instrument,
            answers=answers,
            send=True,
            by=staff,
            mode=ResponseMode.PAPER,
            answered_on=day,
            now=typed or at(day + timedelta(days=1), 9),
        )


def decide_consents(person: Person, *, research: bool, when: datetime, by: User) -> None:
    for purpose in ("contact", "programme", "research"):
        wording = people.current_wording(purpose)
        assert wording is not None, "the loader publishes every wording first"
        people.record_consent(
            person=person,
            purpose=purpose,
            given=research or purpose != "research",
            method=ConsentMethod.PAPER,
            wording=wording,
            decided_at=when,
            by=by,
        )


def load_2026_baseline(cohort: Cohort, members: list[Person], wave: Wave, *, staff: User) -> None:
    opens = at(cohort.starts_on - timedelta(days=wave.opens_days_before), 10)
    services.open_due_invitations(now=opens)
    invitations = {i.person_id: i for i in Invitation.objects.filter(wave=wave, cohort=cohort)}
    first_session = cohort.sessions.order_by("starts_at").first()
    came = set(
        first_session.attendances.filter(status=AttendanceStatus.ATTENDED).values_list("person_id", flat=True)
        if first_session
        else []
    )
    for index, person in enumerate(members):
        if index in SILENT_2026:
            continue
        phq, gad = PERSONA_2026 if index == 0 else (5 + index * 7 % 13, 4 + index * 5 % 11)
        answered = opens + timedelta(days=1 + index % 9, hours=9)
        for instrument, answers in (
            ("phq9", phq9(phq)),
            ("gad7", gad7(gad)),
            ("core10", core10(round((phq + gad) * 0.8))),
        ):
            services.save_answers(
                invitation=invitations[person.pk],
                instrument_id=instrument,
                answers=answers,
                send=True,
                by=None,
                now=answered,
            )
        if index in CEAS_TYPED_2026:
            # Paper CEAS forms went round at the first workshop, or the second for those who missed it.
            day = cohort.starts_on if person.pk in came else cohort.starts_on + timedelta(days=14)
            enter_paper(invitations[person.pk], ceas_answers(index, 0), staff, day)


def load_2026_persona_mid_point(cohort: Cohort, persona: Person, wave: Wave, *, staff: User) -> None:
    """The persona will miss the mid-point workshop, so at the last workshop she came to the
    facilitator sent her the mid-point link early and handed her the CEAS forms, typed in that
    evening. Her PHQ-9 and GAD-7 wait for her, online, through the link."""
    workshop = (
        cohort.sessions.filter(
            starts_at__lte=timezone.now(),
            attendances__person=persona,
            attendances__status=AttendanceStatus.ATTENDED,
        )
        .order_by("-starts_at")
        .first()
    )
    if workshop is None:
        services.invite_now(wave=wave, cohort=cohort, person=persona, by=staff)
        return
    invitation = services.invite_now(
        wave=wave, cohort=cohort, person=persona, by=staff, now=workshop.starts_at
    )
    day = timezone.localdate(workshop.starts_at)
    mid_point = ceas_answers(0, PERSONA_MID_GAIN)
    enter_paper(invitation, mid_point, staff, day, typed=min(at(day, 18), timezone.now()))


def participant_link(site_url: str) -> str | None:
    """The persona's open questionnaire link, to print with the demo sign-ins."""
    invitation = (
        Invitation.objects.usable(timezone.now())
        .filter(person__user__email=DEMO_ACCOUNTS["participant"][0])
        .first()
    )
    if invitation is None:
        return None
    return site_url + reverse("measures:answer_start", args=[invitation.uuid, invitation_token(invitation)])
