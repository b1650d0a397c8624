"""Nothing a person typed becomes markup: names and wording holding HTML and SVG are shown as text on
every page and in every chart that shows them, signed out as well as signed in."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.dashboards.tests.scenario import cohort_with_registers
from carecommons.finances import services as finances
from carecommons.finances.ledger import Line
from carecommons.finances.models import AccountKind, TransactionKind
from carecommons.finances.tests.factories import account, make_group
from carecommons.lib.dates import add_months
from carecommons.listening import themes
from carecommons.listening.tests.factories import make_lab, record_conversation
from carecommons.measures.tests.factories import (
    PHQ9_CALM,
    answer,
    consent_to_programme,
    invite,
    link,
    make_wave,
)
from carecommons.people.models import ConsentPurpose
from carecommons.people.services import publish_wording
from carecommons.programmes import services as programmes
from carecommons.programmes.tests.factories import make_cohort, make_programme, person_of
from carecommons.signups.tests.factories import open_cohort
from tests.no_markup.typed import ATTRIBUTE, CLOSES_TEXT, MARKUP, SCRIPT, assert_shown_as_text

pytestmark = pytest.mark.django_db

LAST_MONTH = add_months(timezone.localdate().replace(day=1), -1)


def test_group_and_spending_category_names_in_markup_are_text_on_the_public_money_page_and_its_chart(
    client: Client,
) -> None:
    group = make_group(name=f"Mutual aid {SCRIPT}")
    finances.update_policy(group=group, by=None, public_page=True)
    finances.record_donation(group=group, amount_pence=90_000, occurred_on=LAST_MONTH, by=None)
    for name in MARKUP:
        finances.add_account(group=group, name=name, kind=AccountKind.EXPENSE, by=None)
        for _ in range(5):
            finances.post_transaction(
                group=group,
                kind=TransactionKind.EXPENSE,
                occurred_on=LAST_MONTH,
                description="Shopping",
                lines=[Line(account(group, name).pk, 1_000), Line(account(group, "Bank account").pk, -1_000)],
                by=None,
            )
    page = client.get(reverse("finances:public_page", args=[group.slug])).content.decode()
    assert "<svg" in page  # the chart is drawn
    assert_shown_as_text(page, *MARKUP)


def test_consent_wording_in_markup_is_text_on_the_public_sign_up_page(client: Client) -> None:
    publish_wording(purpose=ConsentPurpose.PROGRAMME, text=f"Agree {SCRIPT}", by=None)
    publish_wording(purpose=ConsentPurpose.CONTACT, text=f"Contact {ATTRIBUTE}", by=None)
    cohort = open_cohort()
    page = client.get(reverse("signups:cohort_signup", args=[cohort.uuid])).content.decode()
    assert_shown_as_text(page, SCRIPT, ATTRIBUTE)


def test_consent_wording_in_markup_is_text_on_a_persons_own_choices(
    participant: User, client_for: Callable[[User], Client]
) -> None:
    publish_wording(purpose=ConsentPurpose.CONTACT, text=f"Contact {CLOSES_TEXT}", by=None)
    person = person_of(participant)
    page = client_for(participant).get(reverse("people:own_consent", args=[person.uuid])).content.decode()
    assert_shown_as_text(page, CLOSES_TEXT)


def test_consent_wording_and_theme_names_in_markup_are_text_in_listening(
    organiser: User, client_for: Callable[[User], Client]
) -> None:
    publish_wording(purpose=ConsentPurpose.CONVERSATION, text=f"Notes {SCRIPT}", by=None)
    lab = make_lab(organiser=organiser)
    client = client_for(organiser)
    form = client.get(reverse("listening:conversation_create", args=[lab.uuid])).content.decode()
    assert_shown_as_text(form, SCRIPT)

    theme = themes.create_theme(lab=lab, by=None, name=ATTRIBUTE)
    conversation = record_conversation(lab, by=organiser)
    themes.add_issue(conversation=conversation, by=None, title=CLOSES_TEXT, themes=[theme])
    listed = client.get(reverse("listening:theme_list", args=[lab.uuid])).content.decode()
    assert "<svg" in listed
    assert_shown_as_text(listed, ATTRIBUTE)
    detail = client.get(reverse("listening:theme_detail", args=[theme.uuid])).content.decode()
    assert_shown_as_text(detail, ATTRIBUTE, CLOSES_TEXT)


def test_programme_cohort_and_step_names_in_markup_are_text_on_the_dashboard(
    convenor: User, client_for: Callable[[User], Client]
) -> None:
    programme = make_programme(name=f"Care {SCRIPT}", workshops=0)
    programmes.add_session_template(programme=programme, by=None, title=CLOSES_TEXT, aims="Aims")
    cohort_with_registers(programme, [["attended", "absent"]], name=f"Spring {ATTRIBUTE}")
    url = reverse("dashboards:programme_dashboard", args=[programme.uuid])
    page = client_for(convenor).get(url).content.decode()
    assert "<svg" in page
    assert_shown_as_text(page, SCRIPT, ATTRIBUTE, CLOSES_TEXT)


def test_cohort_and_programme_names_in_markup_are_text_on_progress_and_questionnaire_pages(
    participant: User, client_for: Callable[[User], Client]
) -> None:
    programme = make_programme(name=f"Care {SCRIPT}", workshops=1)
    cohort = make_cohort(
        programme, name=f"Spring {ATTRIBUTE}", starts_on=timezone.localdate() - timedelta(weeks=2)
    )
    consent_to_programme(person_of(participant))
    invitation = invite(participant, cohort=cohort, wave=make_wave(programme, instruments=["phq9"]))
    client = client_for(participant)
    assert_shown_as_text(client.get(link(invitation)).content.decode(), SCRIPT, ATTRIBUTE)
    answer(invitation, "phq9", PHQ9_CALM)
    page = client.get(reverse("measures:my_progress")).content.decode()
    assert "<svg" in page
    assert_shown_as_text(page, ATTRIBUTE)
