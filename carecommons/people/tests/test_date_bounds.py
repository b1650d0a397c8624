"""Affiliation and consent dates are bounded (lib/dates.py): beside the field on the form, and in the
service for anything that does not come through a form."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carecommons.people import services
from carecommons.people.models import Affiliation, Consent, Organisation, Person

pytestmark = pytest.mark.django_db

NOT_BEFORE_1900 = "Enter a date on or after 1 January 1900."
NOT_BEFORE_2000 = "Enter a date on or after 1 January 2000."
NOT_IN_THE_FUTURE = "Enter a date that is not in the future."


def amara() -> Person:
    return services.create_person(by=None, given_name="Amara", family_name="Okafor")


def food_friends() -> Organisation:
    return services.create_organisation(by=None, name="Food Friends", kind="grassroots", area="Levenshulme")


def test_an_affiliation_dated_year_1_or_year_3000_is_refused_beside_each_date(convenor, client_for) -> None:
    person, group = amara(), food_friends()
    response = client_for(convenor).post(
        reverse("people:affiliation_add", args=[person.uuid]),
        {
            "organisation": str(group.uuid),
            "role": "trustee",
            "started_on": "0001-01-01",
            "ended_on": "3000-01-01",
        },
    )
    errors = response.context["form"].errors
    assert errors["started_on"] == [NOT_BEFORE_1900]
    assert errors["ended_on"][0].startswith("Enter a date no later than ")
    page = response.content.decode()
    assert 'value="0001-01-01"' in page and 'value="3000-01-01"' in page and 'value="trustee"' in page
    assert not Affiliation.objects.exists()


def test_an_affiliation_may_have_begun_long_before_the_project() -> None:
    affiliation = services.add_affiliation(
        person=amara(), organisation=food_friends(), role="founder", by=None, started_on=date(1987, 5, 1)
    )
    assert affiliation.started_on == date(1987, 5, 1)


def test_the_service_refuses_an_affiliation_dated_year_1_or_year_3000() -> None:
    person, group = amara(), food_friends()
    with pytest.raises(ValidationError) as refused:
        services.add_affiliation(
            person=person, organisation=group, role="", by=None, started_on=date(1, 1, 1)
        )
    assert refused.value.message_dict == {"started_on": [NOT_BEFORE_1900]}
    with pytest.raises(ValidationError) as refused:
        services.add_affiliation(
            person=person, organisation=group, role="", by=None, ended_on=date(3000, 1, 1)
        )
    assert list(refused.value.message_dict) == ["ended_on"]
    assert not Affiliation.objects.exists()


def test_a_paper_consent_dated_year_1_or_year_3000_is_refused_beside_the_date(convenor, client_for) -> None:
    person = amara()
    services.publish_wording(purpose="research", text="You may use my answers in research.", by=None)
    client = client_for(convenor)
    url = reverse("people:consent_add", args=[person.uuid])
    for typed, said in [("0001-01-01T10:00", NOT_BEFORE_2000), ("3000-01-01T10:00", NOT_IN_THE_FUTURE)]:
        data = {"purpose": "research", "decision": "given", "method": "paper", "decided_at": typed}
        response = client.post(url, data)
        assert response.context["form"].errors["decided_at"] == [said]
        assert f'value="{typed}"' in response.content.decode()
    assert not Consent.objects.exists()


def test_the_service_refuses_a_consent_dated_year_1_or_year_3000() -> None:
    person = amara()
    wording = services.publish_wording(
        purpose="research", text="You may use my answers in research.", by=None
    )
    for moment, said in [
        (datetime(1, 1, 2, 12, tzinfo=UTC), NOT_BEFORE_2000),
        (datetime(3000, 1, 1, 12, tzinfo=UTC), NOT_IN_THE_FUTURE),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.record_consent(
                person=person,
                purpose="research",
                given=True,
                method="paper",
                wording=wording,
                decided_at=moment,
                by=None,
            )
        assert refused.value.message_dict == {"decided_at": [said]}
    assert not Consent.objects.exists()
