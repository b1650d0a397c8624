from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from carecommons.accounts.models import User
from carecommons.demo.fixtures import DEMO_ACCOUNTS, DEMO_PASSWORD
from carecommons.learningsets.models import LearningSet
from carecommons.people.models import Affiliation, Organisation, Person
from carecommons.programmes.models import Programme, Session

pytestmark = pytest.mark.django_db


def load(settings) -> str:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_loads_the_programme_care_lab_and_mutual_aid_group_once(settings) -> None:  # type: ignore[no-untyped-def]
    output = load(settings)
    cohort = Person.objects.filter(tags__name="radical-self-care")
    assert cohort.count() == 30
    groups = Organisation.objects.filter(affiliations__person__in=cohort).distinct()
    assert groups.count() == 15 and {g.kind for g in groups} == {"grassroots"}
    assert Affiliation.objects.filter(organisation__name="Riverside Care Lab", role="organiser").count() == 3
    assert Affiliation.objects.filter(organisation__name="Northside Mutual Aid").count() == 8
    for persona, (email, *_rest) in DEMO_ACCOUNTS.items():
        assert email in output and persona in output
    programme = Programme.objects.get(name="Growing Cultures of Radical Caring")
    assert programme.curriculum.count() == 8
    cohort_2026 = programme.cohorts.get(name="Cohort 2026")
    assert cohort_2026.enrolments.filter(status="accepted").count() == 30
    sessions = list(cohort_2026.sessions.order_by("starts_at"))
    assert len(sessions) == 8
    assert [s.attendances.count() for s in sessions] == [30, 30, 30, 30, 0, 0, 0, 0]
    assert [s.report_completed_at is not None for s in sessions[:4]] == [True, True, True, False]
    assert LearningSet.objects.filter(cohort=cohort_2026).count() == 5
    lab = Programme.objects.get(kind="care_lab")
    assert Session.objects.filter(cohort__programme=lab).count() == 2
    people = Person.objects.count()
    assert "already loaded" in load(settings)
    assert Person.objects.count() == people


def test_every_demo_login_works_while_debug_is_on(settings) -> None:  # type: ignore[no-untyped-def]
    load(settings)
    for email, *_rest in DEMO_ACCOUNTS.values():
        client = Client()
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert client.get("/").status_code == 200
    assert User.objects.filter(is_demo=True).count() == len(DEMO_ACCOUNTS) == 9


def test_demo_is_refused_when_debug_is_off(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()
