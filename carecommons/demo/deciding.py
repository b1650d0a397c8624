"""The Riverside Action Group (issue 13): formed at the lab's first gathering, convened by the Care
Lab, half-way through handing itself over to its members, with books, a budget line and two
initiatives — all through the services the pages use.

Days are counted from the gathering where it formed (`FORMED`, in days from today). Nine members,
two of them demo logins (the participant, Amara, and the member, Jess), and a convening seat held
by the organiser login, Priya. The convenor's role rotates monthly: Sunita held it until the first
meeting, Ruth holds it now and Amara is planned to follow. Inviting people and running decisions
are handed over; money roles and inviting professionals are planned ahead. The steps are completed
here directly; when decisions exist, `load_decisions(action_group)` opens the decisions that
carry them, so everything a later loader needs is returned in `ActionGroup`.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.assets.models import Asset
from carecommons.demo.listening import Cast
from carecommons.finances import services as finances
from carecommons.finances.models import AccountKind, Budget, Group
from carecommons.groups import services as groups
from carecommons.groups.models import CommunityGroup, HandoverArea, HandoverPlan, HandoverStep, Power, Role
from carecommons.initiatives import services as initiatives
from carecommons.initiatives.models import Initiative, InitiativeAction, InitiativeStatus, NeedKind
from carecommons.lib.action_states import ActionStatus
from carecommons.lib.dates import add_months
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
    users: dict[str, User]  # members with an account: amara, jess, sunita
    roles: dict[str, Role] = field(default_factory=dict)
    plan: HandoverPlan | None = None
    steps: dict[HandoverArea, HandoverStep] = field(default_factory=dict)
    books: Group | None = None
    budget: Budget | None = None
    initiatives: list[Initiative] = field(default_factory=list)


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
    )
    hand_over_half(action)
    join_by_invitation(action)
    name_roles(action)
    open_books(action, care_lab)
    start_initiatives(action, cast)
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
    # A later step makes these decisions of the group, whose closing completes the step.
    for area, _planned, done in STEPS:
        if done is not None:
            groups.complete_step(step=action.steps[area], on=day(done), by=by)


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


def start_initiatives(action: ActionGroup, cast: Cast) -> None:
    diaries = initiative(
        action, cast,
        title="Travel time diaries",
        purpose="Every care worker who wants to writes down a month of travel between calls, so "
        "Brightwater and the council see the unpaid hours for themselves.",
        starter="kasia", members=("sunita", "lorraine", "amara"),
        themes=("travel", "pay"),
        issues=("Travel time diaries", "Rotas built without travel time", "Unpaid travel time"),
        assets=("Riverside Care Workers Voice", "Inside Brightwater's rota office", "Library meeting room"),
    )  # fmt: skip
    coffee = initiative(
        action, cast,
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
        initiative=diaries, kind=NeedKind.MONEY, amount_pence=12_000, by=sunita,
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
) -> Initiative:
    return initiatives.start_initiative(
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
