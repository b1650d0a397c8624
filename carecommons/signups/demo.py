"""Demo applications for a cohort, made through the same services as the public sign-up page."""

from carecommons.accounts.models import User
from carecommons.programmes.models import Cohort, SignupQuestion
from carecommons.signups import services

QUESTIONS = [
    ("Why would you like to take part?", SignupQuestion.Kind.TEXT, [], True),
    (
        "Which sessions suit you best?",
        SignupQuestion.Kind.CHOICE,
        ["Weekday daytime", "Weekday evening"],
        True,
    ),
    ("Have you taken part in a Radical Self-Care workshop before?", SignupQuestion.Kind.YES_NO, [], False),
]

# first, last, organisation, access needs, why, when, before; the last two go on the waiting list.
APPLICANTS = [
    ("Nadia", "Rahman", "Levenshulme Food Friends", "", "Our volunteers are burning out.", 0, "no"),
    (
        "Owen",
        "Pritchard",
        "Ardwick Tenants Together",
        "Step-free access, please.",
        "To look after myself.",
        1,
        "",
    ),
    ("Femi", "Adebayo", "", "I will need breaks every hour.", "A friend recommended it.", 0, "yes"),
    ("Rosa", "Delgado", "Gorton Parents Together", "", "We want to bring this to our parents.", 1, "no"),
    ("Ibrahim", "Yusuf", "Longsight Deaf Social Club", "A BSL interpreter.", "For our members.", 0, "no"),
    ("Kerry", "Doyle", "Harpurhey Walking Group", "", "Walking helps; I want more tools.", 1, "no"),
]


def load(*, cohort: Cohort, convenor: User) -> None:
    """A few applications waiting for a decision and two people on the waiting list."""
    # Answers only to questions of our own: a cohort's existing questions may ask something else.
    questions = []
    if not cohort.questions.exists():
        questions = [
            services.add_question(
                cohort=cohort, by=convenor, text=text, kind=kind, choices=choices, required=required
            )
            for text, kind, choices, required in QUESTIONS
        ]
    for index, (first, last, organisation, needs, why, when, before) in enumerate(APPLICANTS):
        given = (why, QUESTIONS[1][2][when], before)
        answers = dict(zip((str(q.pk) for q in questions), given, strict=False))
        enrolment = services.apply(
            cohort=cohort,
            given_name=first,
            family_name=last,
            email=f"{first}.{last}.applicant@example.org".lower(),
            organisation_name=organisation,
            access_needs=needs,
            answers={key: value for key, value in answers.items() if value},
            consents={"contact": True, "programme": True, "research": index % 3 != 1},
            ip=None,
        )
        if index >= len(APPLICANTS) - 2:
            services.waitlist(enrolment=enrolment, by=convenor)
