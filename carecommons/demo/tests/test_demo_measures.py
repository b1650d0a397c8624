from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.demo.fixtures import DEMO_ACCOUNTS, DEMO_PASSWORD
from carecommons.demo.measures import CEAS
from carecommons.measures.models import FollowUp, Invitation, Response, SafeguardingAlert, SafeguardingLead
from carecommons.measures.running import notifications
from carecommons.people.models import Consent, Person
from carecommons.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def output(settings) -> str:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_a_finished_cohort_answered_every_wave_and_its_one_alert_was_followed_up_and_closed(
    output: str,
) -> None:
    programme = Programme.objects.get(name="Growing Cultures of Radical Caring")
    assert sorted((w.kind, w.weeks_after_end, len(w.instruments)) for w in programme.waves.all()) == [
        ("baseline", 0, 6),
        ("end", 0, 6),
        ("follow_up", 12, 2),
        ("mid", 0, 5),
    ]
    leads = SafeguardingLead.objects.filter(programme=programme).values_list("person__user__email", flat=True)
    assert sorted(leads) == ["convenor@example.org", "facilitator@example.org"]
    cohort = programme.cohorts.get(name="Cohort 2025")
    assert cohort.ends_on < timezone.localdate()
    assert cohort.enrolments.filter(status="accepted").count() == 12
    sent = Response.objects.filter(cohort=cohort, status="submitted")
    per_wave = {
        kind: sent.filter(wave__kind=kind, instrument="phq9").count()
        for kind in ("baseline", "mid", "end", "follow_up")
    }
    assert per_wave == {"baseline": 12, "mid": 12, "end": 11, "follow_up": 9}
    ceas = sent.filter(instrument__startswith="ceas_")
    assert ceas.count() == (12 + 11) * 3
    assert set(ceas.values_list("mode", "entered_by__email")) == {("paper", "facilitator@example.org")}
    alert = SafeguardingAlert.objects.get()
    assert alert.cohort == cohort and alert.flags == ["phq9_item9"] and alert.invitation.wave.kind == "mid"
    assert alert.closed_at is not None and alert.escalated_at is None and alert.notified_at is not None
    told = AuditEvent.objects.get(action="safeguarding.leads_notified", target_id=str(alert.uuid))
    assert told.detail == {"count": 2}  # the two safeguarding leads, as the email would have gone
    follow_up = FollowUp.objects.get(alert=alert)
    assert follow_up.by.email == "facilitator@example.org" and follow_up.closes_alert
    assert alert.raised_at < follow_up.contacted_at < alert.due_at
    # Loading the demo queues the alert's email for the worker; by then the alert is closed.
    assert notifications.notify_alert(alert.pk) == 0 and mail.outbox == []
    declined = Consent.objects.current().filter(
        person__enrolments__cohort=cohort, purpose="research", given=False
    )
    assert declined.count() == 2
    phq9: dict[int, dict[str, float]] = {}
    for person, kind, score in sent.filter(instrument="phq9").values_list(
        "person_id", "wave__kind", "scores"
    ):
        phq9.setdefault(person, {})[kind] = score["total"]
    change = sorted(s["end"] - s["baseline"] for s in phq9.values() if "end" in s)
    # Most improve a few points, four of them reliably (6 or more); two hardly move; two get worse.
    assert change == [-7, -7, -6, -6, -4, -3, -2, -1, -1, 4, 6]


def test_cohort_2026_has_baselines_and_the_persona_can_answer_the_mid_point_now(output: str) -> None:
    persona = Person.objects.get(user__email=DEMO_ACCOUNTS["participant"][0])
    baseline = Response.objects.filter(cohort__name="Cohort 2026", wave__kind="baseline", instrument="phq9")
    assert baseline.count() == 24
    assert baseline.get(person=persona).bands == {"total": "moderate"}
    assert Response.objects.filter(person=persona, instrument__startswith="ceas_", mode="paper").count() == 6
    invitation = Invitation.objects.usable(timezone.now()).get(person=persona)
    assert invitation.wave.kind == "mid"
    # Her CEAS forms are typed in; the questionnaires she answers online are all still to do.
    assert sorted(invitation.responses.values_list("instrument", flat=True)) == sorted(CEAS)
    link = output.split("Questionnaires the participant can answer now:\n  ")[1].split()[0]
    client = Client()
    client.post("/accounts/login/", {"login": DEMO_ACCOUNTS["participant"][0], "password": DEMO_PASSWORD})
    assert client.get(urlsplit(link).path).status_code == 200
    home = client.get("/").content.decode()
    assert "Answer the questionnaires" in home
    assert not SafeguardingAlert.objects.open().exists()


def signed_in(persona: str) -> Client:
    client = Client()
    client.post("/accounts/login/", {"login": DEMO_ACCOUNTS[persona][0], "password": DEMO_PASSWORD})
    return client


def test_the_participant_sees_their_own_scores_change_over_two_rounds(output: str) -> None:
    page = signed_in("participant").get("/measures/mine/")
    assert page.status_code == 200
    (section,) = page.context["sections"]
    assert section["cohort"].name == "Cohort 2026"
    flows = section["flows"]
    assert flows.labels == ["Baseline", "Mid-point"]
    for flow in flows.flows:
        for scores in flow.scores.values():
            assert len(scores) == 2 and None not in scores
    assert flows.flows[0].scores["engagement"][1] > flows.flows[0].scores["engagement"][0]
    html = page.content.decode()
    assert "Three flows of compassion" in html and "went from" in html
    assert '<th scope="col">Baseline</th><th scope="col">Mid-point</th>' in html
    assert html.count('role="img"') == 1 + len(section["instruments"])  # the flows chart and one each
