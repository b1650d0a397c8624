"""The Riverside Action Group (issue 13): formed at the lab's first gathering, convened by the Care
Lab, half-way through handing itself over to its members, with books, a budget line and two
initiatives — all through the services the pages use.

Days are counted from the gathering where it formed (`FORMED`, in days from today). Nine members,
two of them demo logins (the participant, Amara, and the member, Jess), and a convening seat held
by the organiser login, Priya. The convenor's role rotates monthly: Sunita held it until the first
meeting, Ruth holds it now and Amara is planned to follow. Inviting people and running decisions
are handed over, each by a proposal of the group that Priya opened and the members agreed; money
roles and inviting professionals are planned ahead.

`load_decisions(action_group)` then gives the group its decisions, each opened, voted on and closed
through the decisions services with their `now=` set in the past (a decision closes between an hour
and 90 days after it opens, so a closed one must have been opened days ago): a consent decision
whose objection was resolved, a ranked choice on which issue to act on (three rounds), a dot vote,
a time poll for the next meeting, and an anonymous proposal still open that the demo logins have
not voted on yet. The facilitator, Leila, recorded Pauline's ranking given by phone.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.accounts.services import create_account
from carecommons.assets.models import Asset
from carecommons.decisions import services as decisions
from carecommons.decisions.models import Decision, Method, Objection, Outcome
from carecommons.demo.listening import Cast
from carecommons.finances import services as finances
from carecommons.finances.models import AccountKind, Budget, Group
from carecommons.groups import services as groups
from carecommons.groups.models import CommunityGroup, HandoverArea, HandoverPlan, HandoverStep, Power, Role
from carecommons.initiatives import services as initiatives
from carecommons.initiatives.models import Initiative, InitiativeAction, InitiativeStatus, NeedKind
from carecommons.lib.action_states import ActionStatus
from carecommons.lib.dates import add_months
from carecommons.listening.models import Issue, Theme
from carecommons.people.models import Organisation, Person
from carecommons.programmes import services as programmes
from carecommons.programmes.models import Session

NAME = "Riverside Action Group"
SLUG = "riverside-action-group"
FORMED = -12  # the lab's past gathering, "what caring costs us"
# Lab people by key (demo/riverside.py); "amara" and "jess" are the participant and member logins.
FOUNDERS = ("sunita", "ruth", "lorraine", "leila", "kasia", "neil", "pauline", "amara")
INVITED = "jess"  # invited by Sunita six days after, joined the day after
BUDGET_LINE = "Printing and room hire"
# (area, planned for, done on): days from today; the first two are done, the others ahead.
STEPS = (
    (HandoverArea.INVITING_PEOPLE, -5, -5),
    (HandoverArea.RUNNING_DECISIONS, -2, -2),
    (HandoverArea.MONEY_ROLES, 14, None),
    (HandoverArea.INVITING_PROFESSIONALS, 28, None),
)


@dataclass
class ActionGroup:
    group: CommunityGroup
    gathering: Session | None
    organiser: User  # Priya, in the convening seat
    people: dict[str, Person]
    users: dict[str, User]  # members with an account: amara, jess, sunita (more once they vote)
    roles: dict[str, Role] = field(default_factory=dict)
    plan: HandoverPlan | None = None
    steps: dict[HandoverArea, HandoverStep] = field(default_factory=dict)
    books: Group | None = None
    budget: Budget | None = None
    initiatives: list[Initiative] = field(default_factory=list)
    issues: dict[str, Issue] = field(default_factory=dict)  # the lab's, by title
    themes: dict[str, Theme] = field(default_factory=dict)  # the lab's, by key (riverside.THEMES)
    cast: Cast | None = None  # the lab's people, themes, issues and assets, for the initiatives


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def load_action_group(*, cast: Cast, care_lab: Organisation, logins: dict[str, User]) -> ActionGroup:
    """`logins` by demo persona: organiser, participant and member (their people exist)."""
    people = dict(cast.people)
    for key, persona in (("amara", "participant"), ("jess", "member")):
        people[key] = Person.objects.get(user=logins[persona])
        programmes.enrol_person(cohort=cast.cohort, person=people[key], by=cast.convenor)
    users = {key: User.objects.get(person=people[key]) for key in ("amara", "jess", "sunita")}
    gathering = (
        Session.objects.filter(cohort__programme=cast.lab, starts_at__date__lte=day(FORMED))
        .order_by("-starts_at")
        .first()
    )
    action = ActionGroup(
        group=start(cast, care_lab, gathering, people, logins["organiser"]),
        gathering=gathering,
        organiser=logins["organiser"],
        people=people,
        users=users,
        issues=dict(cast.issues),
        themes=dict(cast.themes),
        cast=cast,
    )
    hand_over_half(action)
    join_by_invitation(action)
    name_roles(action)
    open_books(action, care_lab)
    return action


def start(
    cast: Cast, care_lab: Organisation, gathering: Session | None, people: dict[str, Person], by: User
) -> CommunityGroup:
    group = groups.start_group(
        name=NAME,
        by=by,
        purpose="Care workers and carers in Riverside acting together on what the lab heard: "
        "unpaid travel time first, and carers and care workers meeting.",
        lab=cast.lab,
        formed_at=gathering,
        convened_by=care_lab,
        founders=[people[key] for key in FOUNDERS],
        today=day(FORMED),
    )
    organiser = Person.objects.get(user=by)
    groups.give_convening_seat(group=group, person=organiser, by=by, today=day(FORMED))
    return group


def hand_over_half(action: ActionGroup) -> None:
    by = action.organiser
    action.plan = groups.make_plan(group=action.group, by=by, today=day(FORMED))
    for area, planned, _done in STEPS:
        action.steps[area] = groups.add_step(plan=action.plan, area=area, planned_for=day(planned), by=by)
    # The steps done so far are carried by decisions of the group (`carry_handover_steps`).


def join_by_invitation(action: ActionGroup) -> None:
    invitation = groups.invite_member(
        group=action.group, person=action.people[INVITED], by=action.users["sunita"]
    )
    groups.answer_invitation(membership=invitation, accept=True, by=action.users["jess"], today=day(-5))


# name -> (description, term months, terms in a row, seats, powers)
ROLES: dict[str, tuple[str, int | None, int | None, int | None, tuple[Power, ...]]] = {
    "Convenor": (
        "Calls the group together and chairs its meetings: a month each, so everyone takes a turn.",
        1, 1, 1, groups.FIRST_ROLE_POWERS,
    ),
    "Facilitator": (
        "Runs the group's decisions and records votes given by hand in meetings or by phone.",
        3, 2, 1, (Power.RUN_DECISIONS, Power.RECORD_VOTES),
    ),
    "Note-taker": ("Writes down what the group decided and who does what by when.", 3, None, 1, ()),
}  # fmt: skip


def name_roles(action: ActionGroup) -> None:
    by, people = action.users["sunita"], action.people
    for name, (description, months, in_a_row, seats, powers) in ROLES.items():
        action.roles[name] = groups.name_role(
            group=action.group, name=name, by=by, description=description, term_months=months,
            max_consecutive_terms=in_a_row, seats=seats, powers=powers,
        )  # fmt: skip
    convenor = action.roles["Convenor"]
    # Sunita convened from the gathering to the first meeting; Ruth has the month after; Amara next.
    groups.give_term(role=convenor, person=people["sunita"], starts_on=day(FORMED), ends_on=day(-2), by=by)
    groups.give_term(role=convenor, person=people["ruth"], starts_on=day(-2), by=by)
    groups.give_term(role=convenor, person=people["amara"], starts_on=add_months(day(-2), 1), by=by)
    facilitator = action.roles["Facilitator"]
    groups.give_term(role=facilitator, person=people["leila"], starts_on=day(-2), by=by)
    groups.give_term(role=facilitator, person=people["neil"], starts_on=add_months(day(-2), 3), by=by)
    groups.give_term(role=action.roles["Note-taker"], person=people["pauline"], starts_on=day(FORMED), by=by)


def open_books(action: ActionGroup, care_lab: Organisation) -> None:
    """The group's money: books linked to it, with its Treasurer and Approver roles. Money roles
    are not handed over yet, so until that step the convening staff hold their powers."""
    by = action.organiser
    books = finances.create_group(
        slug=SLUG, by=by, group=action.group, organisation=care_lab, treasurer_term_months=6,
        approval_threshold_pence=5_000, approvals_over_threshold=2,
    )  # fmt: skip
    action.books = books
    for name in ("Treasurer", "Approver"):
        action.roles[name] = Role.objects.get(group=action.group, name=name)
    people = action.people
    groups.give_term(role=action.roles["Treasurer"], person=people["kasia"], starts_on=day(-2), by=by)
    for key in ("ruth", "lorraine"):
        groups.give_term(role=action.roles["Approver"], person=people[key], starts_on=day(-2), by=by)
    line = finances.add_account(group=books, name=BUDGET_LINE, kind=AccountKind.EXPENSE, by=by)
    action.budget = finances.set_budget(
        group=books, category=line, starts_on=day(-2), ends_on=add_months(day(-2), 3), amount_pence=25_000,
        by=by,
    )  # fmt: skip


def start_initiatives(action: ActionGroup, decided: Mapping[str, Decision]) -> None:
    """What the group decided to do: the diaries answer the ranked choice (travel time won), the
    coffee mornings the dot vote on what to talk about; the diaries' money sits on the budget line."""
    cast = action.cast
    assert cast is not None
    diaries = initiative(
        action, cast, decision=decided[WHICH_ISSUE],
        title="Travel time diaries",
        purpose="Every care worker who wants to writes down a month of travel between calls, so "
        "Brightwater and the council see the unpaid hours for themselves.",
        starter="kasia", members=("sunita", "lorraine", "amara"),
        themes=("travel", "pay"),
        issues=("Travel time diaries", "Rotas built without travel time", "Unpaid travel time"),
        assets=("Riverside Care Workers Voice", "Inside Brightwater's rota office", "Library meeting room"),
    )  # fmt: skip
    coffee = initiative(
        action, cast, decision=decided[COFFEE_TOPICS],
        title="Carers and care workers coffee mornings",
        purpose="Once a month at the day centre, carers and the care workers who visit them meet "
        "over coffee, so each side hears the other.",
        starter="sunita", members=("ruth", "pauline", "neil", "jess"),
        themes=("isolation", "respite"),
        issues=("Carers and care workers never meet", "Carers don't know what's available"),
        assets=("Riverside Day Centre", "Between the day centre and care workers"),
    )  # fmt: skip
    action.initiatives = [diaries, coffee]
    sunita, amara, jess = action.users["sunita"], action.users["amara"], action.users["jess"]
    collect = act(
        action, diaries, "kasia", "Collect travel diaries from colleagues at Brightwater", -1, sunita
    )
    initiatives.follow_up_action(
        action=collect, status=ActionStatus.DONE, by=sunita, today=day(-1),
        note="Fourteen diaries back, and six more promised by Friday.",
    )  # fmt: skip
    act(action, diaries, "amara", "Book the library meeting room for the diary evening", 3, amara)
    act(action, diaries, "lorraine", "Add up the unpaid hours in the diaries", 10, sunita)
    initiatives.add_need(
        initiative=diaries, kind=NeedKind.MONEY, amount_pence=12_000, by=sunita, budget=action.budget,
        text=f"Printing forty diary booklets and the library room for the evening ({BUDGET_LINE}).",
    )  # fmt: skip
    post(action, diaries, "sunita", "We agreed the diary sheet together: date, calls, minutes between.", -4)
    post(action, diaries, "kasia", "Fourteen diaries collected so far; Lorraine will add up the hours.", -1)
    room = act(
        action, coffee, "ruth", "Ask the day centre manager for the room on Friday mornings", -3, sunita
    )
    initiatives.follow_up_action(
        action=room, status=ActionStatus.PARTLY, by=sunita, today=day(-3),
        note="The room is free on Fridays from next month, not this one.",
    )  # fmt: skip
    act(action, coffee, "jess", "Make a poster for the first coffee morning", 5, jess)
    act(action, coffee, "pauline", "Bring the knitting circle to the first coffee morning", 20, sunita)
    call = initiatives.add_need(
        initiative=coffee, kind=NeedKind.PEOPLE, people_wanted=2, by=sunita,
        text="Two people to set out the chairs and make the tea on the morning.",
    )  # fmt: skip
    initiatives.volunteer(need=call, person=action.people["neil"], by=sunita)
    post(action, coffee, "ruth", "The day centre says yes to Fridays from next month.", -3)


def initiative(
    action: ActionGroup,
    cast: Cast,
    *,
    title: str,
    purpose: str,
    starter: str,
    members: tuple[str, ...],
    themes: tuple[str, ...],
    issues: tuple[str, ...],
    assets: tuple[str, ...],
    decision: Decision,
) -> Initiative:
    return initiatives.start_initiative(
        decision=decision,
        group=action.group,
        title=title,
        purpose=purpose,
        by=action.users["sunita"],
        starter=action.people[starter],
        members=[action.people[key] for key in members],
        themes=[cast.themes[key] for key in themes],
        issues=[cast.issues[title] for title in issues],
        assets=[Asset.objects.get(lab=cast.lab, name=name) for name in assets],
        status=InitiativeStatus.ACTIVE,
    )


def act(
    action: ActionGroup, initiative: Initiative, owner: str, text: str, due: int, by: User
) -> InitiativeAction:
    return initiatives.add_action(
        initiative=initiative, owner=action.people[owner], text=text, due_on=day(due), by=by
    )


def post(action: ActionGroup, initiative: Initiative, author: str, text: str, on: int) -> None:
    initiatives.post_update(
        initiative=initiative,
        author=action.people[author],
        text=text,
        by=action.users["sunita"],
        today=day(on),
    )


# The group's decisions: titles the tests and the guide name.
AGREEMENT = "Our group agreement"
WHICH_ISSUE = "Which issue do we act on first?"
COFFEE_TOPICS = "What should the first coffee morning talk about?"
NEXT_MEETING = "When do we meet next?"
BRIGHTWATER = "Ask Brightwater to meet us about paying travel time"
ONLINE_VOTERS = ("ruth", "lorraine", "leila", "kasia", "neil")  # with Sunita, Amara and Jess
FACILITATOR = "leila"


def at(offset: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day(offset), time(hour, minute)))


def load_decisions(action: ActionGroup) -> dict[str, Decision]:
    """The group's decisions, by title. Members who vote online get an account without a password,
    as the lab's asset suggesters do (the demo never signs in as them); Pauline has none, so her
    vote is given by phone and recorded by the facilitator."""
    for key in ONLINE_VOTERS:
        person = action.people[key]
        if person.user_id is None:
            user = create_account(
                email=person.email, password=None, roles=[], by=action.organiser,
                display_name=person.display_name,
            )  # fmt: skip
            Person.objects.filter(pk=person.pk).update(user=user)
            person.user = user
        action.users[key] = User.objects.get(person=person)
    carried = carry_handover_steps(action)
    made = (agree_how_we_work, choose_the_issue, choose_coffee_topics, find_next_meeting, ask_brightwater)
    decided = {decision.title: decision for decision in (*carried, *(make(action) for make in made))}
    start_initiatives(action, decided)
    return decided


HANDOVER_TITLES = {
    HandoverArea.INVITING_PEOPLE: "We invite new members ourselves from now on",
    HandoverArea.RUNNING_DECISIONS: "We run our own decisions from now on",
}


def carry_handover_steps(action: ActionGroup) -> list[Decision]:
    """Each step done so far, carried by a proposal Priya opened from her convening seat four days
    before; the members agreed, and closing it completed the step that day."""
    priya = Person.objects.get(user=action.organiser)
    carried = []
    for area, _planned, done in STEPS:
        if done is None:
            continue
        decision = decisions.open_decision(
            group=action.group, person=priya, by=action.organiser, kind="proposal",
            title=HANDOVER_TITLES[area], handover_step=action.steps[area],
            closes_at=at(done, 19), now=at(done - 4, 19),
            details="The Care Lab hands this over to the group, as the handover plan says.",
        )  # fmt: skip
        for offset, key in enumerate(("sunita", "ruth", "kasia", "lorraine", "neil")):
            vote(action, decision, key, at(done - 3, 9 + offset), choices=["agree"])
        decisions.close_decision(decision=decision, by=action.organiser, now=decision.closes_at)
        carried.append(decision)
    return carried


def vote(
    action: ActionGroup,
    decision: Decision,
    key: str,
    when: datetime,
    *,
    choices: Sequence[str] = (),
    marks: Mapping[str, int] | None = None,
    reason: str = "",
) -> None:
    """`key`'s own vote online, cast at `when`."""
    decisions.cast_vote(
        decision=decision, person=action.people[key], by=action.users[key], now=when,
        choices=choices, marks=marks, reason=reason,
    )  # fmt: skip


def close(
    action: ActionGroup, decision: Decision, by: str, statement: str, review_on: date | None
) -> Outcome:
    decisions.close_decision(decision=decision, by=action.users[by], now=decision.closes_at)
    return decisions.state_outcome(
        decision=decision,
        by=action.users[by],
        statement=statement,
        review_on=review_on,
        today=timezone.localdate(decision.closes_at),
    )


def agree_how_we_work(action: ActionGroup) -> Decision:
    """Consent to the group agreement: Neil objects to evening-only meetings, Sunita changes the
    proposal, and the group looks at the agreement again today, after its first weeks."""
    decision = decisions.open_decision(
        group=action.group, person=action.people["sunita"], by=action.users["sunita"], kind="consent",
        title=AGREEMENT, quorum_percent=50, closes_at=at(-6, 21), now=at(-10, 20),
        details="We meet every two weeks in the library meeting room, on Tuesday evenings. "
        "The convenor changes every month so everyone takes a turn. We decide online over at least "
        "three days, or in a meeting with the decision written down the same day. What people say "
        "about their work and the people they care for stays in the room.",
    )  # fmt: skip
    for key, when in (("sunita", at(-10, 20, 5)), ("ruth", at(-10, 21)), ("kasia", at(-9, 7, 30))):
        vote(action, decision, key, when, choices=["consent"])
    vote(
        action, decision, "neil", at(-9, 22), choices=["object"],
        reason="Tuesday evenings shut out anyone on late calls: half the care workers I know "
        "finish at nine. They are the people this group is for.",
    )  # fmt: skip
    objection = Objection.objects.get(ballot__decision=decision)
    decisions.resolve_objection(
        objection=objection, by=action.users["sunita"], now=at(-8, 19),
        resolution="Meetings alternate between Tuesday evenings and Saturday mornings, so people "
        "on late calls can come to every other one. Neil agreed this answers his objection.",
    )  # fmt: skip
    for key, when in (("lorraine", at(-8, 20)), ("leila", at(-7, 12)), ("amara", at(-7, 18))):
        vote(action, decision, key, when, choices=["consent"])
    close(
        action, decision, "sunita",
        "We adopted the group agreement, with meetings alternating between Tuesday evenings and "
        "Saturday mornings. We look at it again after our first weeks together.",
        review_on=day(0),
    )  # fmt: skip
    return decision


# (member, ranking, when): the count goes three rounds. Round 1: travel 3, meeting 3, sick pay 2,
# dial-a-ride 1; dial-a-ride goes out and Neil's ballot moves to "meet" (4). Round 2: sick pay
# goes out and both its ballots move to travel (5 of 9). Round 3: travel time wins.
ISSUE_OPTIONS = (
    "Unpaid travel time",
    "Carers and care workers never meet",
    "Personal assistants have no sick pay",
    "Dial-a-ride hard to book",
)
RANKINGS = (
    ("kasia", ("o1", "o3", "o2"), -5),
    ("lorraine", ("o1", "o2"), -5),
    ("amara", ("o1", "o2", "o3", "o4"), -4),
    ("sunita", ("o2", "o1"), -5),
    ("ruth", ("o2", "o4", "o1"), -4),
    ("leila", ("o3", "o1", "o2"), -4),
    ("jess", ("o3", "o1"), -3),
    ("neil", ("o4", "o2", "o1"), -3),
)


def choose_the_issue(action: ActionGroup) -> Decision:
    decision = decisions.open_decision(
        group=action.group, person=action.people["ruth"], by=action.users["ruth"], kind="ranked_choice",
        title=WHICH_ISSUE, closes_at=at(-1, 21), now=at(-6, 19),
        details="The lab heard many things at the gathering; we can take on one properly. Rank the "
        "issues you would act on, first choice first, and leave out any you would not.",
        options=[decisions.OptionInput(label=title, issue=action.issues[title]) for title in ISSUE_OPTIONS],
    )  # fmt: skip
    for key, ranking, on in RANKINGS:
        vote(action, decision, key, at(on, 20), choices=ranking)
    # Pauline has no computer: she rang Leila, the facilitator, who recorded her ranking.
    decisions.cast_vote(
        decision=decision, person=action.people["pauline"], by=action.users[FACILITATOR],
        choices=["o2", "o1"], method=Method.PHONE, now=at(-2, 11),
        reason="Told Leila on the phone: carers like me never get to meet the care workers.",
    )  # fmt: skip
    close(
        action, decision, FACILITATOR,
        "We act on unpaid travel time first: travel time diaries, then the figures to Brightwater "
        "and the council. Carers and care workers meeting came a close second, so the coffee "
        "mornings go ahead alongside.",
        review_on=add_months(day(-1), 2),
    )  # fmt: skip
    return decision


# (member, dots per option): 5 dots each; respite first (13), then isolation (8).
TOPICS = (("Getting a break", "respite"), ("Feeling cut off", "isolation"),
          ("The people we care for who are lonely", "lonely"), ("Getting about", "transport"))  # fmt: skip
DOTS = (
    ("ruth", (3, 1, 1, 0)),
    ("sunita", (2, 2, 1, 0)),
    ("neil", (1, 2, 0, 2)),
    ("jess", (3, 1, 0, 1)),
    ("lorraine", (2, 1, 2, 0)),
    ("amara", (2, 1, 1, 1)),
)


def choose_coffee_topics(action: ActionGroup) -> Decision:
    decision = decisions.open_decision(
        group=action.group, person=action.people["ruth"], by=action.users["ruth"], kind="dot_vote",
        title=COFFEE_TOPICS, dots=5, closes_at=at(-1, 10), now=at(-4, 18),
        details="The first coffee morning needs one thing to start the talking. Five dots each: "
        "put several on one topic if it matters most to you.",
        options=[
            decisions.OptionInput(label=label, theme=action.themes[theme]) for label, theme in TOPICS
        ],
    )  # fmt: skip
    for key, dots in DOTS:
        marks = {f"o{i}": n for i, n in enumerate(dots, 1) if n}
        vote(action, decision, key, at(-3, 19), marks=marks)
    close(
        action, decision, "ruth",
        "The first coffee morning starts with getting a break: what respite there is and why "
        "carers don't use it.",
        review_on=None,
    )  # fmt: skip
    return decision


# Slots ahead (days from today, start, end) and each member's yes (2) / if need be (1) / no (0).
SLOTS = ((6, (18, 30), (20, 0)), (9, (10, 0), (11, 30)), (13, (18, 30), (20, 0)))
AVAILABLE = (
    ("ruth", (2, 2, 1)),
    ("sunita", (1, 2, 2)),
    ("neil", (0, 2, 0)),
    ("kasia", (1, 2, 1)),
    ("leila", (2, 1, 2)),
    ("jess", (0, 2, 2)),
    ("amara", (2, 2, 0)),
)


def find_next_meeting(action: ActionGroup) -> Decision:
    decision = decisions.open_decision(
        group=action.group, person=action.people["ruth"], by=action.users["ruth"], kind="time_poll",
        title=NEXT_MEETING, closes_at=at(-1, 20), now=at(-3, 9),
        details="Our next meeting, in the library meeting room. One evening and one Saturday "
        "morning, as the group agreement says; say which you can make.",
        options=[
            decisions.OptionInput(starts_at=at(offset, *start), ends_at=at(offset, *end))
            for offset, start, end in SLOTS
        ],
    )  # fmt: skip
    for key, answers in AVAILABLE:
        vote(action, decision, key, at(-2, 20), marks={f"o{i}": a for i, a in enumerate(answers, 1)})
    close(
        action, decision, "ruth",
        "We meet at the chosen time in the library meeting room. Add it to your calendar from "
        "this page.",
        review_on=None,
    )  # fmt: skip
    return decision


BRIGHTWATER_VOTES = (
    ("kasia", "agree", ""),
    ("sunita", "agree", ""),
    ("ruth", "agree", "The diaries we have already show the hours."),
    ("leila", "agree", ""),
    ("lorraine", "abstain", "I work for Brightwater some weekends; I'll stay out of this one."),
    ("neil", "disagree", "Wait until all the diaries are in: the figures will be stronger."),
)


def ask_brightwater(action: ActionGroup) -> Decision:
    """Still open, anonymous, for three more days; Amara and Jess (the demo logins) have not voted,
    so it waits for them on their home pages."""
    now = timezone.now()
    decision = decisions.open_decision(
        group=action.group, person=action.people["kasia"], by=action.users["kasia"], kind="proposal",
        title=BRIGHTWATER, anonymous=True, closes_at=now + timedelta(days=3), now=now - timedelta(days=1),
        details="Kasia and Lorraine write to Brightwater's manager with the diary figures and ask "
        "for a meeting before the end of the month. Two of us go, with Priya from the Care Lab if "
        "we want her there.",
    )  # fmt: skip
    for hours, (key, choice, reason) in enumerate(BRIGHTWATER_VOTES, 1):
        vote(
            action,
            decision,
            key,
            now - timedelta(days=1) + timedelta(hours=hours),
            choices=[choice],
            reason=reason,
        )
    return decision
