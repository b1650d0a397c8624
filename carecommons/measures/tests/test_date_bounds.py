"""The dates staff type in measures (a paper form's date, a safeguarding follow-up's time) are bounded
(lib/dates.py HAPPENED): beside the field on the form, and in the service. Waves have no typed dates:
their windows are counted in days from the cohort's own bounded dates."""

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from carecommons.measures.models import FollowUp, Response, SafeguardingAlert
from carecommons.measures.running import safeguarding, services
from carecommons.measures.tests.factories import PHQ9_CALM, PHQ9_RISK, invite, make_wave
from carecommons.programmes.tests.factories import make_cohort, person_of

pytestmark = pytest.mark.django_db

NOT_BEFORE_2000 = "Enter a date on or after 1 January 2000."
NOT_IN_THE_FUTURE = "Enter a date that is not in the future."


@pytest.fixture(autouse=True)
def shipped_wording_only(settings: Any, tmp_path: Path) -> None:
    settings.INSTRUMENT_TEXT_DIR = tmp_path


def paper_data(day: str) -> dict[str, Any]:
    return {f"item_{n}": answer for n, answer in enumerate(PHQ9_CALM, 1)} | {"answered_on": day}


def test_a_paper_form_dated_year_1_or_year_3000_is_refused_beside_the_date(
    facilitator, participant, client_for
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    make_wave(cohort.programme, instruments=["phq9"])
    invitation = invite(participant, cohort=cohort)
    client = client_for(facilitator)
    for typed, said in [("0001-01-01", NOT_BEFORE_2000), ("3000-01-01", NOT_IN_THE_FUTURE)]:
        response = client.post(f"/measures/paper/{invitation.uuid}/phq9/", paper_data(typed))
        assert response.context["form"].errors["answered_on"] == [said]
        assert f'value="{typed}"' in response.content.decode()
    assert not Response.objects.exists()


def test_the_service_refuses_a_paper_form_dated_year_1_or_year_3000(facilitator, participant) -> None:
    cohort = make_cohort(facilitator=facilitator)
    make_wave(cohort.programme, instruments=["phq9"])
    invitation = invite(participant, cohort=cohort)
    for day, said in [(date(1, 1, 1), NOT_BEFORE_2000), (date(3000, 1, 1), NOT_IN_THE_FUTURE)]:
        with pytest.raises(ValidationError) as refused:
            services.save_answers(
                invitation=invitation,
                instrument_id="phq9",
                answers=PHQ9_CALM,
                send=True,
                by=facilitator,
                mode="paper",
                answered_on=day,
            )
        assert refused.value.message_dict == {"answered_on": [said]}
    assert not Response.objects.exists()


@pytest.fixture
def alert(facilitator, participant, organiser) -> SafeguardingAlert:
    cohort = make_cohort(facilitator=facilitator)
    services.set_safeguarding_leads(programme=cohort.programme, people=[person_of(organiser)], by=None)
    saved = services.save_answers(
        invitation=invite(person_of(participant), cohort=cohort),
        instrument_id="phq9",
        answers=PHQ9_RISK,
        send=True,
        by=None,
    )
    assert saved.alert is not None
    return saved.alert


def test_a_follow_up_dated_year_1_or_year_3000_is_refused_beside_the_date(
    alert, organiser, client_for
) -> None:
    client = client_for(organiser)
    url = reverse("measures:alert_detail", args=[alert.uuid])
    for typed, said in [("0001-01-01T10:00", NOT_BEFORE_2000), ("3000-01-01T10:00", NOT_IN_THE_FUTURE)]:
        data = {"contacted_at": typed, "method": "phone", "note": "Spoke on the phone."}
        response = client.post(url, data)
        assert response.context["form"].errors["contacted_at"] == [said]
        assert f'value="{typed}"' in response.content.decode()
    assert not FollowUp.objects.exists()


def test_the_service_refuses_a_follow_up_dated_year_1_or_year_3000(alert, organiser) -> None:
    for moment, said in [
        (datetime(1, 1, 2, 12, tzinfo=UTC), NOT_BEFORE_2000),
        (datetime(3000, 1, 1, 12, tzinfo=UTC), NOT_IN_THE_FUTURE),
    ]:
        with pytest.raises(ValidationError) as refused:
            safeguarding.log_follow_up(
                alert=alert,
                by=organiser,
                contacted_at=moment,
                method="phone",
                note="Spoke on the phone.",
                closes_alert=False,
            )
        assert refused.value.message_dict == {"contacted_at": [said]}
    assert not FollowUp.objects.exists()
