"""The signed-out home page: who runs the site, which sign-ups are open, which groups show their money."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.finances import services as finance_services
from carecommons.finances.tests.factories import make_group
from carecommons.programmes import services as programme_services
from carecommons.programmes.tests.factories import make_cohort, make_programme
from carecommons.signups.tests.factories import apply_as, open_cohort

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_the_organisation_its_open_sign_ups_and_public_money_pages(client, settings) -> None:
    settings.SITE_NAME = "Riverside Care Lab"
    settings.SITE_DESCRIPTION = "Neighbours looking after each other in Riverside."
    cohort = open_cohort(name="Spring group")
    apply_as(cohort, "applicant@example.org")
    closed = make_cohort(make_programme(), name="Closed group")
    group = make_group("Northside Mutual Aid")
    finance_services.update_policy(group=group, by=None, public_page=True)
    make_group("Private Pantry")

    page = client.get(reverse("home:index")).content.decode()

    assert "<h1>Riverside Care Lab</h1>" in page
    assert "Neighbours looking after each other in Riverside." in page
    assert f'href="{reverse("signups:cohort_signup", args=[cohort.uuid])}"' in page
    assert cohort.programme.name in page and "Spring group" in page
    assert str(closed.uuid) not in page and "Closed group" not in page
    assert f'href="{reverse("finances:public_page", args=[group.slug])}"' in page
    assert "Private Pantry" not in page
    assert "applicant@example.org" not in page and "Applicant" not in page


def test_the_signed_out_home_page_makes_the_same_queries_whatever_the_numbers(client) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(reverse("home:index")).status_code == 200
        return len(captured)

    open_cohort()
    finance_services.update_policy(group=make_group("One"), by=None, public_page=True)
    few = queries()
    for n in range(3):
        open_cohort(name=f"More {n}")
        finance_services.update_policy(group=make_group(f"Group {n}"), by=None, public_page=True)
    assert queries() == few


def test_a_sign_up_that_closes_leaves_the_home_page(client) -> None:
    cohort = open_cohort()
    programme_services.update_cohort(cohort=cohort, by=None, signup_open=False)
    assert str(cohort.uuid) not in client.get(reverse("home:index")).content.decode()
