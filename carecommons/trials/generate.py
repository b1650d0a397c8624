"""A completed two-arm trial, made through the real services with every date in the past: for the
demo (about 120 people at two sites) and for benchmarks (1,000 people and more).

People apply to a cohort at their site, are screened four weeks before it starts, consent to
research and answer the baseline, and are allocated ten days before the first workshop: to the
course (eight weekly workshops, attendance taken) or to the waiting list. Both arms answer at the
end of the course and twelve weeks later; some stop answering (about 15% by the end, 22% by the
follow-up), a few stop taking part (with a reason) and two withdraw their consent to research.
PHQ-9 falls about three points more on the course than on the waiting list; GAD-7 follows it.
Every answer is a set of item answers (0 to 3) adding up to the wanted total.

The plan is written when the trial is defined, locked before the live list opens, and changed
once after the lock, with a reason, so the report has a deviation to show.
"""

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.accounts.services import create_account
from carecommons.measures.models import Wave, WaveKind
from carecommons.measures.running import services as measures
from carecommons.measures.running.waves import wave_date
from carecommons.people import services as people
from carecommons.people.models import ConsentMethod, ConsentPurpose, ConsentWording, Person
from carecommons.programmes import services as programmes
from carecommons.programmes.models import AttendanceStatus, Cohort, Programme, Session
from carecommons.trials import services
from carecommons.trials.models import Method, Trial, TrialParticipant
from carecommons.trials.services import ArmSpec, Design, FactorSpec, OutcomeSpec, QuestionSpec

INSTRUMENTS = ("phq9", "gad7")
WORKSHOPS = 8
PER_COHORT = 24
STAGGER_DAYS = 35
PROGRAMME_ARM, WAITING_LIST = "Radical Self-Care course", "Waiting list"
QUESTIONS = (
    "Aged 18 or over?",
    "Holds a group or community together, paid or unpaid?",
    "Not receiving psychological therapy at the moment?",
    "Able to come to most of the eight workshops?",
)
OTHER_REASONS = ("Moving away before the course starts", "Already took part in an earlier course")
STOPPED_BECAUSE = (
    "Caring responsibilities grew",
    "Too unwell to continue",
    "Moved away",
    "New job clashed with the workshops",
)
PLAN = {
    "sap_objectives": (
        "Does the Radical Self-Care course lower depressive symptoms (PHQ-9) at the end of the course, "
        "compared with a waiting list? Hypothesis: PHQ-9 is at least 3 points lower on the course."
    ),
    "sap_sample_size": (
        "With a standard deviation of 6 points, 64 analysed per arm give 80% power to detect 3 points at "
        "the two-sided 5% level; allowing 15% loss to follow-up, 150 are to be allocated."
    ),
    "sap_primary_analysis": (
        "ANCOVA of PHQ-9 at the end of the course on arm, adjusted for baseline PHQ-9 and site, in "
        "everyone allocated with the outcome (complete cases); the difference with its 95% CI."
    ),
    "sap_secondary_analysis": (
        "The same model for GAD-7 at the end and for PHQ-9 at 12 weeks; standardised effects (Hedges' g)."
    ),
    "sap_missing_data": "Complete cases; multiple imputation by chained equations as a sensitivity analysis.",
    "sap_other": "No interim analysis. Subgroups by site, for description only.",
}
CHANGED_PLAN = (
    "sap_missing_data",
    "Complete cases; multiple imputation by chained equations (20 imputations, with site, baseline "
    "PHQ-9 and GAD-7 and sessions attended) as the main sensitivity analysis.",
    "Follow-up at 12 weeks was lower than expected at one site: the imputation model now names its "
    "variables and number of imputations, before any result by arm was seen.",
)
GIVEN_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Dev",
    "Efua",
    "Farah",
    "Gwen",
    "Hamid",
    "Ines",
    "Jay",
    "Kofi",
    "Layla",
    "Maya",
    "Nadia",
    "Olu",
    "Pat",
    "Ravi",
    "Sam",
    "Tariq",
    "Una",
    "Vera",
    "Wes",
    "Yara",
    "Zane",
    "Bea",
    "Cal",
    "Dina",
    "Eli",
    "Fern",
    "Gus",
]
FAMILY_NAMES = [
    "Adams",
    "Bello",
    "Clarke",
    "Das",
    "Evans",
    "Fisher",
    "Gill",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Novak",
    "Oyelowo",
    "Patel",
    "Quinn",
    "Reid",
    "Shah",
    "Turner",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
    "Zhou",
    "Barker",
    "Cole",
    "Doyle",
    "Ellis",
    "Ford",
]


@dataclass
class Plan:
    """One cohort to run: its site, when it starts, and how many people apply to it."""

    site: str
    starts_on: date
    applicants: int


def cohort_plans(total: int, sites: tuple[str, ...], today: date) -> list[Plan]:
    """Cohorts of about PER_COHORT applicants at each site, a round every five weeks, the last one's
    12-week follow-up over a month before `today`."""
    per_site = [total // len(sites) + (1 if i < total % len(sites) else 0) for i in range(len(sites))]
    rounds = max(1, math.ceil(max(per_site) / PER_COHORT))
    last_start = today - timedelta(days=7 * (WORKSHOPS - 1) + 7 * 12 + 45)
    plans = []
    for round_number in range(rounds):
        starts_on = last_start - timedelta(days=STAGGER_DAYS * (rounds - 1 - round_number))
        for site, count in zip(sites, per_site, strict=True):
            share = count // rounds + (1 if round_number < count % rounds else 0)
            if share:
                plans.append(Plan(site, starts_on, share))
    return plans


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def items(rng: random.Random, total: int, count: int) -> list[int]:
    """`count` item answers from 0 to 3 adding up to `total`."""
    answers = [0] * count
    for _ in range(min(max(total, 0), 3 * count)):
        answers[rng.choice([i for i, value in enumerate(answers) if value < 3])] += 1
    return answers


def phq9_answers(rng: random.Random, total: int) -> list[int]:
    """Item 9 (thoughts of self-harm) is left at 0: the generated data raise no safeguarding alerts."""
    main = items(rng, min(total, 24), 8)
    return [*main, 0, min(3, total // 6)]


def clip(value: float, low: int, high: int) -> int:
    return int(min(max(round(value), low), high))


@dataclass
class Fate:
    """What happens to one applicant, drawn before any row is written."""

    phq9: int
    gad7: int
    response: float
    attends: float
    screening: str
    consents: bool
    answers_baseline: bool
    stops_answering: str  # "", "end" (answers nothing after baseline) or "follow_up"
    stops_taking_part: bool


def draw_person(rng: random.Random) -> Fate:
    u = rng.random()
    screening = (
        "not_eligible" if u < 0.07 else "declined" if u < 0.11 else "other" if u < 0.13 else "eligible"
    )
    phq9 = clip(rng.gauss(13, 4.5), 5, 24)
    lost = rng.random()
    return Fate(
        phq9=phq9,
        gad7=clip(0.75 * phq9 + rng.gauss(0, 2.5), 0, 21),
        response=rng.gauss(0, 2.5),
        attends=0.85 if rng.random() < 0.85 else 0.3,
        screening=screening,
        consents=rng.random() > 0.03,
        answers_baseline=rng.random() > 0.03,
        stops_answering="end" if lost < 0.12 else "follow_up" if lost < 0.21 else "",
        stops_taking_part=rng.random() < 0.06,
    )


def outcome(rng: random.Random, who: Fate, *, course: bool, wave: str) -> tuple[int, int]:
    fall = (4.2 if course else 1.2) if wave == "end" else (4.0 if course else 1.6)
    phq9 = clip(who.phq9 - fall + who.response + rng.gauss(0, 2), 0, 24)
    gad7 = clip(who.gad7 + 0.7 * (phq9 - who.phq9) + rng.gauss(0, 1.5), 0, 21)
    return phq9, gad7


def account(email: str, role: Role) -> User:
    return User.objects.filter(email=email).first() or create_account(
        email=email, password=None, roles=[role], by=None, display_name=email.split("@")[0]
    )


def trial_programme(name: str, by: User) -> Programme:
    programme = programmes.create_programme(by=by, name=name, description="Eight workshops on self-care.")
    for number in range(1, WORKSHOPS + 1):
        programmes.add_session_template(programme=programme, by=by, title=f"Workshop {number}", aims="")
    for kind, weeks in (("baseline", 0), ("end", 0), ("follow_up", 12)):
        measures.save_wave(
            programme=programme, by=by, kind=kind, instruments=INSTRUMENTS, weeks_after_end=weeks
        )
    return programme


def trial_waves(programme: Programme) -> dict[str, Wave]:
    waves = {w.kind: w for w in programme.waves.filter(weeks_after_end__in=(0, 12))}
    follow_up = programme.waves.filter(kind=WaveKind.FOLLOW_UP, weeks_after_end=12).first()
    if follow_up is None or not {"baseline", "end"} <= set(waves):
        raise ValueError("The programme needs baseline, end and 12-week follow-up waves.")
    return {"baseline": waves["baseline"], "end": waves["end"], "follow_up": follow_up}


def research_wording(by: User) -> ConsentWording:
    return people.current_wording(ConsentPurpose.RESEARCH) or people.publish_wording(
        purpose=ConsentPurpose.RESEARCH,
        text="Your answers may be used, pseudonymised, to evaluate the programme.",
        by=by,
    )


class Run:
    """One generation: the trial, its waves, the staff acting and the random stream."""

    def __init__(self, trial: Trial, waves: dict[str, Wave], convenor: User, rng: random.Random) -> None:
        self.trial, self.waves, self.convenor, self.rng = trial, waves, convenor, rng
        # Attendance is drawn only for the course's people: its own stream keeps every other draw
        # the same whatever the allocation.
        self.attendance = random.Random(rng.random())
        self.wording = research_wording(convenor)
        self.questions = list(trial.eligibility_questions.all())
        self.factors = list(trial.factors.all())
        self.templates = list(trial.programme.curriculum.order_by("position", "id"))
        self.withdrawals_left = 2

    def consent(self, person: Person, *, given: bool, when: datetime) -> None:
        people.record_consent(
            person=person,
            purpose=ConsentPurpose.RESEARCH,
            given=given,
            method=ConsentMethod.PAPER if given else ConsentMethod.EMAIL,
            wording=self.wording,
            decided_at=when,
            by=self.convenor,
        )

    def answer(self, cohort: Cohort, person: Person, kind: str, day: date, phq9: int, gad7: int) -> None:
        invitation = measures.invite_now(
            wave=self.waves[kind], cohort=cohort, person=person, by=self.convenor, now=at(day, 9)
        )
        answered = at(day, 19) + timedelta(days=self.rng.randrange(0, 6))
        for instrument, answers in (
            ("phq9", phq9_answers(self.rng, phq9)),
            ("gad7", items(self.rng, gad7, 7)),
        ):
            measures.save_answers(
                invitation=invitation,
                instrument_id=instrument,
                answers=answers,
                send=True,
                by=None,
                now=answered,
            )

    def sessions(self, plan: Plan, cohort: Cohort) -> list[Session]:
        return [
            programmes.schedule_session(
                cohort=cohort,
                by=self.convenor,
                template=template,
                title=f"Workshop {number}: {template.title}",
                starts_at=at(plan.starts_on + timedelta(days=7 * (number - 1))),
                ends_at=at(plan.starts_on + timedelta(days=7 * (number - 1)), 12),
                location=f"Community centre, {plan.site}",
            )
            for number, template in enumerate(self.templates[:WORKSHOPS], start=1)
        ]

    def screen(self, plan: Plan, cohort: Cohort, person: Person, who: Fate) -> TrialParticipant:
        answers = {q.pk: True for q in self.questions}
        if who.screening == "not_eligible":
            answers[self.rng.choice(self.questions).pk] = False
        return services.screen_person(
            trial=self.trial,
            by=self.convenor,
            person=person,
            cohort=cohort,
            answers=answers,
            levels={f.pk: plan.site for f in self.factors},
            declined=who.screening == "declined",
            other=self.rng.choice(OTHER_REASONS) if who.screening == "other" else "",
            now=at(plan.starts_on - timedelta(days=28 - self.rng.randrange(0, 7)), 11),
        )

    def cohort(self, number: int, plan: Plan) -> None:
        rng = self.rng
        ends_on = plan.starts_on + timedelta(days=7 * (WORKSHOPS - 1))
        cohort = programmes.create_cohort(
            programme=self.trial.programme,
            by=self.convenor,
            name=f"{plan.site}, {plan.starts_on:%B %Y}",
            starts_on=plan.starts_on,
            ends_on=ends_on,
            capacity=plan.applicants,
        )
        sessions = self.sessions(plan, cohort)
        on_course = []
        for index in range(plan.applicants):
            given = GIVEN_NAMES[(number * 7 + index) % len(GIVEN_NAMES)]
            family = FAMILY_NAMES[rng.randrange(len(FAMILY_NAMES))]
            person = people.create_person(by=self.convenor, given_name=given, family_name=family)
            programmes.enrol_person(cohort=cohort, person=person, by=self.convenor)
            who = draw_person(rng)
            participant = self.screen(plan, cohort, person, who)
            if who.screening != "eligible":
                continue
            screened = participant.screened_at
            if who.consents:
                self.consent(person, given=True, when=screened + timedelta(days=1))
            if who.answers_baseline:
                self.answer(
                    cohort, person, "baseline", screened.date() + timedelta(days=2), who.phq9, who.gad7
                )
            if not who.consents or not who.answers_baseline:
                continue
            allocation = services.allocate(
                participant=participant,
                by=self.convenor,
                now=at(plan.starts_on - timedelta(days=10), 14) + timedelta(minutes=index),
            )
            course = allocation.arm.is_treatment
            if course:
                on_course.append((person, who))
            self.follow(cohort, participant, person, who, course=course, ends_on=ends_on)
        for session in sessions:
            for person, who in on_course:
                roll = self.attendance.random()
                status = (
                    AttendanceStatus.ATTENDED
                    if roll < who.attends
                    else AttendanceStatus.APOLOGIES
                    if roll < who.attends + (1 - who.attends) / 2
                    else AttendanceStatus.ABSENT
                )
                programmes.record_attendance(session=session, person=person, status=status, by=self.convenor)

    def follow(
        self,
        cohort: Cohort,
        participant: TrialParticipant,
        person: Person,
        who: Fate,
        *,
        course: bool,
        ends_on: date,
    ) -> None:
        """Answers at the end and at 12 weeks, unless they stopped; a stop or a withdrawal on the way."""
        rng = self.rng
        stopped = None
        if who.stops_taking_part:
            stopped = cohort.starts_on + timedelta(days=rng.randrange(7, 40))
            services.discontinue(
                participant=participant, by=self.convenor, on=stopped, because=rng.choice(STOPPED_BECAUSE)
            )
        for kind in ("end", "follow_up"):
            wave = self.waves[kind]
            day = wave_date(wave.kind, wave.weeks_after_end, cohort.starts_on, ends_on)
            if (stopped is not None and stopped < day) or who.stops_answering == "end":
                return
            if kind == "follow_up" and who.stops_answering == "follow_up":
                return
            if kind == "follow_up" and self.withdrawals_left and rng.random() < 0.05:
                self.withdrawals_left -= 1
                self.consent(person, given=False, when=at(day - timedelta(days=20), 16))
                return
            self.answer(cohort, person, kind, day, *outcome(rng, who, course=course, wave=kind))


def design_of(
    programme: Programme, waves: dict[str, Wave], statistician: User, sites: tuple[str, ...]
) -> Design:
    return Design(
        programme=programme,
        title=f"Randomised trial of {programme.name}",
        registration="",  # fictional: never a real registry's number
        unit="person",
        method=Method.BLOCKS,
        block_multiples=(1, 2, 3),
        best_probability=0.8,
        baseline_wave=waves["baseline"],
        received_min_sessions=4,
        statistician=statistician,
        arms=(ArmSpec(PROGRAMME_ARM, 1, True), ArmSpec(WAITING_LIST, 1, False)),
        factors=(FactorSpec("Site", sites),) if len(sites) > 1 else (),
        outcomes=(
            OutcomeSpec("phq9", waves["end"], True),
            OutcomeSpec("gad7", waves["end"], False),
            OutcomeSpec("phq9", waves["follow_up"], False),
            OutcomeSpec("gad7", waves["follow_up"], False),
        ),
        questions=tuple(QuestionSpec(text, True) for text in QUESTIONS),
    )


@transaction.atomic
def generate_trial(
    *,
    people: int,
    sites: tuple[str, ...],
    seed: int,
    programme: Programme | None = None,
    convenor: User | None = None,
    statistician: User | None = None,
    today: date | None = None,
) -> Trial:
    """A completed trial of `programme` (a new one with the three waves by default) with `people`
    applicants spread over `sites`. The same seed gives the same story, allocations included: the
    generated trial's secret is derived from the seed (a real trial's is new and random), so the
    demo and the tests that use it are the same every run."""
    if not sites or people < 1:
        raise ValueError("Name at least one site and ask for at least one person.")
    rng = random.Random(seed)
    today = today or timezone.localdate()
    convenor = convenor or account(f"trial-convenor-{seed}@example.org", Role.CONVENOR)
    statistician = statistician or account(f"trial-statistician-{seed}@example.org", Role.EVALUATOR)
    programme = programme or trial_programme(f"Radical Self-Care (trial {seed})", convenor)
    waves = trial_waves(programme)
    plans = cohort_plans(people, sites, today)
    first, last = plans[0].starts_on, plans[-1].starts_on
    trial = services.create_trial(
        by=statistician,
        design=design_of(programme, waves, statistician, sites),
        plan=PLAN,
        secret=hashlib.sha256(f"generated trial {seed}".encode()).digest(),
    )
    services.lock_plan(trial=trial, by=statistician, now=at(first - timedelta(days=50), 15))
    services.open_live_list(trial=trial, by=statistician, now=at(first - timedelta(days=45), 9))
    run = Run(trial, waves, convenor, rng)
    for number, plan in enumerate(plans):
        run.cohort(number, plan)
    services.close_recruitment(trial=trial, by=statistician)
    field, text, reason = CHANGED_PLAN
    changed_at = at(last + timedelta(days=7 * WORKSHOPS + 14), 11)
    services.change_plan(trial=trial, by=statistician, plan={field: text}, reason=reason, now=changed_at)
    trial.refresh_from_db()
    return trial
