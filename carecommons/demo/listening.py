"""The Riverside Care Lab's conversations, themes, community assets and network (issue 5).

Loaded in two parts around the lab's first gathering, so the network snapshot "three months ago"
shows the lab as it stood before the later conversations, introductions and the gathering:

1. `load_first_months`: the lab's ladder and themes, the people of Riverside with their groups and
   ties at the time, the conversations held up to three months ago, then the first snapshot.
2. `load_recent_months`: the ties made since, the later conversations, the follow-ups done, the
   community assets and members' suggestions, then today's snapshot.

Everything goes through the services the app uses. The one exception is the first snapshot's date:
`take_snapshot(taken_at=...)` rebuilds the graph from dated ties only, and relationships are dated
by when they were recorded (today, for all of the demo's), so it would lose every relationship. The
snapshot is taken of the lab as it is at that point of the load and then given its date.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.accounts.services import create_account
from carecommons.assets import services as assets
from carecommons.demo import riverside
from carecommons.demo.riverside import LabAsset, LabPerson, LabTalk
from carecommons.listening import services as listening
from carecommons.listening import themes
from carecommons.listening.models import Conversation, EngagementLevel, Issue, Theme
from carecommons.networks.models import Snapshot
from carecommons.networks.services import take_snapshot
from carecommons.people import services as people
from carecommons.people.models import ConsentMethod, ConsentPurpose, ConsentWording, Organisation, Person
from carecommons.programmes import services as programmes
from carecommons.programmes.models import Cohort, Programme


@dataclass
class Cast:
    lab: Programme
    cohort: Cohort
    convenor: User
    organisers: list[Person]
    users: list[User]
    people: dict[str, Person] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    ladder: list[EngagementLevel] = field(default_factory=list)
    themes: dict[str, Theme] = field(default_factory=dict)
    issues: dict[str, Issue] = field(default_factory=dict)
    follow_ups_done: list[tuple[Conversation, User]] = field(default_factory=list)


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)


def organiser_accounts(organisers: list[Person], convenor: User) -> list[User]:
    """The persona already signs in as Priya; Joe and Fatima get accounts (no password) so the
    conversations they hold are recorded by them."""
    users = []
    for organiser in organisers:
        organiser.refresh_from_db(fields=["user"])  # the loader linked the persona with an update
        if organiser.user is None:
            user = create_account(
                email=organiser.email,
                password=None,
                roles=[Role.ORGANISER],
                by=convenor,
                display_name=organiser.display_name,
            )
            Person.objects.filter(pk=organiser.pk).update(user=user)
            organiser.user = user
        users.append(organiser.user)
    return users


def load_first_months(
    *, lab: Programme, cohort: Cohort, convenor: User, organisers: list[Person], members: list[Person]
) -> Cast:
    with people.reindex_once():
        return first_months(lab, cohort, convenor, organisers, members)


def first_months(
    lab: Programme, cohort: Cohort, convenor: User, organisers: list[Person], members: list[Person]
) -> Cast:
    cast = Cast(lab, cohort, convenor, organisers, organiser_accounts(organisers, convenor))
    cast.people = {member.given_name.lower(): member for member in members}
    cast.ladder = listening.ensure_default_ladder(lab=lab, by=cast.users[0])
    cast.themes = {
        key: themes.create_theme(lab=lab, by=cast.users[0], name=name, description=description)
        for key, (name, description) in riverside.THEMES.items()
    }
    for key, (name, kind, description) in riverside.ORGANISATIONS.items():
        cast.organisations[key] = people.create_organisation(
            by=convenor, name=name, kind=kind, area="Riverside", description=description
        )
    for lab_person in riverside.PEOPLE:
        cast.people[lab_person.key] = add_person(lab_person, convenor)
    for key in riverside.JOINED_BEFORE:
        programmes.enrol_person(cohort=cohort, person=cast.people[key], by=convenor)
    add_ties(cast, riverside.AFFILIATIONS_BEFORE, riverside.RELATIONSHIPS_BEFORE, started=None)
    for talk in riverside.TALKS:
        if talk.day < riverside.THREE_MONTHS_AGO:
            record_talk(cast, talk)
    earlier = take_snapshot(lab=lab, by=cast.users[0], label="Three months ago")
    # A single dated update, as the module docstring explains.
    then = timezone.now() + timedelta(days=riverside.THREE_MONTHS_AGO)
    Snapshot.objects.filter(pk=earlier.pk).update(taken_at=then)
    return cast


def load_recent_months(cast: Cast) -> None:
    with people.reindex_once():
        recent_months(cast)


def recent_months(cast: Cast) -> None:
    for key in riverside.JOINED_AFTER:
        programmes.enrol_person(cohort=cast.cohort, person=cast.people[key], by=cast.convenor)
    add_ties(cast, riverside.AFFILIATIONS_AFTER, riverside.RELATIONSHIPS_AFTER, started=day(-60))
    for talk in riverside.TALKS:
        if talk.day >= riverside.THREE_MONTHS_AGO:
            record_talk(cast, talk)
    for conversation, owner in cast.follow_ups_done:
        listening.mark_follow_up_done(conversation=conversation, by=owner)
    load_assets(cast)
    take_snapshot(lab=cast.lab, by=cast.users[0], label="Today")


def add_person(lab_person: LabPerson, convenor: User) -> Person:
    person = people.create_person(
        by=convenor,
        given_name=lab_person.first,
        family_name=lab_person.last,
        email=f"{lab_person.first}.{lab_person.last}".lower() + "@example.org",
        tags=["care-lab", *lab_person.tags],
    )
    people.record_consent(
        person=person,
        purpose=ConsentPurpose.CONTACT,
        given=True,
        method=ConsentMethod.VERBAL,
        wording=wording(ConsentPurpose.CONTACT),
        by=convenor,
    )
    return person


def wording(purpose: str) -> ConsentWording:
    found = people.current_wording(purpose)
    assert found is not None, f"the demo publishes a {purpose} wording first"
    return found


def add_ties(
    cast: Cast,
    affiliations: list[tuple[str, str, str]],
    relationships: list[tuple[str, str, str]],
    *,
    started: date | None,
) -> None:
    dates = {"started_on": started} if started else {}
    for key, organisation, role in affiliations:
        people.add_affiliation(
            person=cast.people[key],
            organisation=cast.organisations[organisation],
            role=role,
            by=cast.convenor,
            **dates,
        )
    for a, b, kind in relationships:
        people.add_relationship(
            from_person=cast.people[a], to_person=cast.people[b], kind=kind, by=cast.convenor
        )


def record_consents(cast: Cast, person: Person, key: str, decided: date) -> None:
    """Their answers about notes and quotes, asked at their first conversation."""
    if key in riverside.NOTES_NEVER_ASKED or listening.conversation_consent(person) is not None:
        return
    when = timezone.make_aware(datetime.combine(decided, time(10, 0)))
    notes = key not in riverside.NOTES_DECLINED
    quotes = notes and key not in riverside.QUOTES_DECLINED
    for purpose, given in ((ConsentPurpose.CONVERSATION, notes), (ConsentPurpose.QUOTES, quotes)):
        people.record_consent(
            person=person,
            purpose=purpose,
            given=given,
            method=ConsentMethod.VERBAL,
            wording=wording(purpose),
            decided_at=when,
            by=cast.users[0],
        )


def record_talk(cast: Cast, talk: LabTalk) -> Conversation:
    person = cast.people[talk.person]
    record_consents(cast, person, talk.person, day(talk.day))
    story, cares_about, gifts, concerns = talk.notes or ("", "", "", "")
    owner, due, follow_up = None, None, ""
    if talk.follow_up is not None:
        owner_index, due_in, follow_up, _done = talk.follow_up
        owner, due = cast.organisers[owner_index], day(due_in)
    conversation = listening.record_conversation(
        lab=cast.lab,
        by=cast.users[talk.listener],
        held_on=day(talk.day),
        method=talk.method,
        listener=cast.organisers[talk.listener],
        person=person,
        introduced_by=cast.people[talk.introduced_by] if talk.introduced_by else None,
        engagement=cast.ladder[talk.level - 1],
        suggested_people=[cast.people[key] for key in talk.suggested],
        follow_up_owner=owner,
        follow_up_due=due,
        story=story,
        cares_about=cares_about,
        gifts=gifts,
        concerns=concerns,
        follow_up=follow_up,
    )
    if talk.follow_up is not None and talk.follow_up[3]:
        cast.follow_ups_done.append((conversation, cast.users[talk.follow_up[0]]))
    for title, words, theme_keys in talk.issues:
        cast.issues[title] = themes.add_issue(
            conversation=conversation,
            by=cast.users[talk.listener],
            title=title,
            words=words,
            themes=[cast.themes[key] for key in theme_keys],
        )
    return conversation


def load_assets(cast: Cast) -> None:
    organiser = cast.users[0]
    for asset in riverside.ASSETS:
        assets.create_asset(
            lab=cast.lab,
            by=organiser,
            name=asset.name,
            category=asset.category,
            status=asset.status,
            description=asset.description,
            **place(asset),
            people=[cast.people[key] for key in asset.people],
            organisations=[cast.organisations[key] for key in asset.organisations],
            issues=[cast.issues[title] for title in asset.issues],
        )
    suggesters = member_accounts(cast, {key for key, _ in riverside.ASSET_SUGGESTIONS})
    for key, asset in riverside.ASSET_SUGGESTIONS:
        assets.suggest_asset(
            lab=cast.lab,
            by=suggesters[key],
            name=asset.name,
            category=asset.category,
            description=asset.description,
            **place(asset),
        )


class Place(TypedDict, total=False):
    postcode: str
    latitude: float
    longitude: float


def place(asset: LabAsset) -> Place:
    if isinstance(asset.place, tuple):
        return {"latitude": asset.place[0], "longitude": asset.place[1]}
    return {"postcode": asset.place}


def member_accounts(cast: Cast, keys: set[str]) -> dict[str, User]:
    """Members who suggest assets need an account (no password: the demo does not sign in as them)."""
    accounts = {}
    for key in sorted(keys):
        member = cast.people[key]
        user = create_account(
            email=member.email,
            password=None,
            roles=[Role.PARTICIPANT],
            by=cast.convenor,
            display_name=member.display_name,
        )
        Person.objects.filter(pk=member.pk).update(user=user)
        accounts[key] = user
    return accounts
