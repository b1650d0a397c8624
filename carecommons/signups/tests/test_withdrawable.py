"""Which applications can be withdrawn: one rule on the model, used by both pages and the service."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carecommons.programmes.models import Enrolment, EnrolmentStatus
from carecommons.signups import services
from carecommons.signups.tests.factories import accepted, apply_as, open_cohort, waiting

pytestmark = pytest.mark.django_db


def test_applications_still_hoped_for_or_held_can_be_withdrawn_and_closed_ones_cannot() -> None:
    cohort = open_cohort()
    applied = apply_as(cohort, "applied@example.org")
    on_list = waiting(cohort, "waiting@example.org")
    holding = accepted(cohort, "accepted@example.org")
    declined = services.decline(enrolment=apply_as(cohort, "declined@example.org"), by=None)
    gone = services.withdraw(enrolment=apply_as(cohort, "gone@example.org"), by=None)

    assert [e.can_be_withdrawn for e in (applied, on_list, holding, declined, gone)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert set(Enrolment.objects.withdrawable()) == {applied, on_list, holding}
    assert holding.holds_place and not on_list.holds_place


def test_every_status_the_model_calls_withdrawable_is_one_the_service_withdraws() -> None:
    cohort = open_cohort()
    for status in EnrolmentStatus.values:
        enrolment = apply_as(cohort, f"{status}@example.org")
        Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
        enrolment.refresh_from_db()
        if enrolment.can_be_withdrawn:
            assert services.withdraw(enrolment=enrolment, by=None).status == EnrolmentStatus.WITHDRAWN
        else:
            with pytest.raises(ValidationError):
                services.withdraw(enrolment=enrolment, by=None)


def test_the_applications_page_offers_withdraw_only_where_the_model_allows_it(convenor, client_for) -> None:
    cohort = open_cohort()
    open_one = apply_as(cohort, "open@example.org")
    closed_one = services.decline(enrolment=apply_as(cohort, "closed@example.org"), by=None)

    page = client_for(convenor).get(reverse("signups:applications", args=[cohort.uuid])).content.decode()

    assert reverse("signups:withdraw", args=[open_one.uuid]) in page
    assert reverse("signups:withdraw", args=[closed_one.uuid]) not in page


def test_the_withdraw_page_says_a_closed_application_has_nothing_to_withdraw(convenor, client_for) -> None:
    closed_one = services.decline(enrolment=apply_as(open_cohort(), "closed@example.org"), by=None)

    page = client_for(convenor).get(reverse("signups:withdraw", args=[closed_one.uuid])).content.decode()

    assert "nothing to withdraw" in page
    assert 'class="button">Withdraw' not in page
