"""Names and words typed about programmes, sessions, learning sets and the people in them are shown
as text on the signed-out home page, session and register pages, learning set pages and the
safeguarding alert pages."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.finances import services as finances
from carecommons.finances.tests.factories import make_group
from carecommons.guests.services import invite_guest
from carecommons.learningsets.tests.factories import make_set, record
from carecommons.measures.running import services as measures
from carecommons.measures.tests.factories import PHQ9_RISK, invite
from carecommons.people.services import create_person, update_person
from carecommons.programmes import services as programmes
from carecommons.programmes.tests.factories import enrol, make_cohort, make_programme, make_session, person_of
from carecommons.signups.tests.factories import open_cohort
from tests.no_markup.typed import TYPED, shows, typed

pytestmark = pytest.mark.django_db

Clients = Callable[[User], Client]
PROGRAMME, COHORT, SESSION, PERSON = typed("Care"), typed("Spring"), typed("Workshop"), typed("Ann")


def test_programme_cohort_and_group_names_in_markup_are_text_on_the_signed_out_home_page(
    client: Client,
) -> None:
    cohort = open_cohort(name=COHORT)
    programmes.update_programme(programme=cohort.programme, by=None, name=PROGRAMME)
    group = make_group(typed("Group"))
    finances.update_policy(group=group, by=None, public_page=True)
    shows(client, reverse("home:index"), PROGRAMME, COHORT, typed("Group"))
    shows(client, reverse("signups:cohort_signup", args=[cohort.uuid]), PROGRAMME, COHORT)


def test_session_titles_and_names_in_markup_are_text_on_session_register_and_report_pages(
    facilitator: User, participant: User, client_for: Clients
) -> None:
    cohort = make_cohort(make_programme(PROGRAMME, workshops=0), facilitator=facilitator, name=COHORT)
    enrol(cohort, create_person(by=None, given_name=PERSON, family_name="Okafor"))
    enrol(cohort, participant)
    session = make_session(cohort, title=SESSION, starts_at=timezone.now() - timedelta(hours=3))
    programmes.save_closing_report(
        session=session, by=None, notes=typed("Notes"), reflections="", follow_ups="", complete=False
    )
    client = client_for(facilitator)
    shows(client, reverse("programmes:cohort_detail", args=[cohort.uuid]), COHORT, SESSION, PERSON)
    shows(client, reverse("programmes:session_detail", args=[session.uuid]), SESSION, PROGRAMME)
    shows(client, reverse("programmes:register", args=[session.uuid]), SESSION, PERSON)
    shows(client, reverse("programmes:closing_report", args=[session.uuid]), SESSION, typed("Notes"))
    soon = make_session(cohort, title=typed("Soon"), starts_at=timezone.now() + timedelta(minutes=30))
    guest = invite_guest(
        session=soon,
        by=facilitator,
        guest_name=typed("Guest"),
        guest_email="g@example.org",
        purpose=typed("Why"),
    )
    shows(
        client,
        reverse("guests:session_guests", args=[soon.uuid]),
        typed("Soon"),
        typed("Guest"),
        typed("Why"),
    )
    shows(Client(), reverse("guests:guest_entry", args=[guest.token]), typed("Soon"))
    calendar = client_for(participant).get(reverse("calendars:session_ics", args=[session.uuid]))
    assert calendar["Content-Type"].startswith("text/calendar")


def test_learning_set_names_members_questions_and_actions_in_markup_are_text_on_its_pages(
    facilitator: User, client_for: Clients
) -> None:
    cohort = make_cohort(facilitator=facilitator, name=COHORT)
    members = [create_person(by=None, given_name=typed(f"Member{n}"), family_name="Test") for n in range(4)]
    for person in members:
        enrol(cohort, person)
    learning_set = make_set(cohort, members=members, name=typed("Set"))
    meeting = record(learning_set, actions=[typed("Action")])
    client = client_for(facilitator)
    shows(client, reverse("learningsets:set_list", args=[cohort.uuid]), typed("Set"))
    shows(
        client, reverse("learningsets:set_detail", args=[learning_set.uuid]), typed("Set"), typed("Member0")
    )
    shows(client, reverse("learningsets:set_members", args=[learning_set.uuid]), typed("Member1"))
    page = shows(client, reverse("learningsets:meeting_detail", args=[meeting.uuid]), typed("Action"))
    assert TYPED not in page


def test_names_in_markup_are_text_on_the_safeguarding_alert_pages(
    participant: User, organiser: User, client_for: Clients
) -> None:
    cohort = make_cohort(make_programme(PROGRAMME, workshops=0), name=COHORT)
    measures.set_safeguarding_leads(programme=cohort.programme, people=[person_of(organiser)], by=None)
    person = update_person(person=person_of(participant), by=None, given_name=PERSON)
    saved = measures.save_answers(
        invitation=invite(person, cohort=cohort), instrument_id="phq9", answers=PHQ9_RISK, send=True, by=None
    )
    assert saved.alert is not None
    client = client_for(organiser)
    shows(client, reverse("measures:alert_list"), PERSON)
    shows(client, reverse("measures:alert_detail", args=[saved.alert.uuid]), PERSON, PROGRAMME, COHORT)
