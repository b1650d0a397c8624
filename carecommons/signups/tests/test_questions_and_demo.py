import pytest
from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.programmes.models import Enrolment, EnrolmentStatus, SignupQuestion
from carecommons.signups import demo, services
from carecommons.signups.tests.factories import apply_as, open_cohort, publish_wordings

pytestmark = pytest.mark.django_db


def test_a_convenor_adds_questions_of_each_kind_in_order(convenor, client_for) -> None:
    cohort = open_cohort()
    client = client_for(convenor)
    url = reverse("signups:questions", args=[cohort.uuid])
    client.post(url, {"text": "Why would you like to come?", "kind": "text", "required": "on"})
    client.post(url, {"text": "Which day?", "kind": "choice", "choices": "Monday\n\nFriday\nMonday\n"})
    client.post(url, {"text": "Been before?", "kind": "yes_no"})
    questions = list(cohort.questions.values_list("position", "text", "kind", "choices", "required"))
    assert questions == [
        (1, "Why would you like to come?", "text", [], True),
        (2, "Which day?", "choice", ["Monday", "Friday"], False),
        (3, "Been before?", "yes_no", [], False),
    ]
    assert AuditEvent.objects.filter(action="signup.question_added", actor=convenor).count() == 3
    assert "Which day?" in client.get(reverse("signups:cohort_signup", args=[cohort.uuid])).content.decode()


def test_a_choice_question_needs_two_choices_and_keeps_what_was_typed(convenor, client_for) -> None:
    cohort = open_cohort()
    response = client_for(convenor).post(
        reverse("signups:questions", args=[cohort.uuid]),
        {"text": "Which day?", "kind": "choice", "choices": "Monday"},
    )
    page = response.content.decode()
    assert "Give at least two choices" in page
    assert 'value="Which day?"' in page
    assert not SignupQuestion.objects.exists()


def test_a_question_is_removed_only_while_nobody_has_answered_it(convenor, client_for) -> None:
    cohort = open_cohort()
    unanswered = services.add_question(cohort=cohort, by=None, text="Unanswered", kind="text")
    answered = services.add_question(cohort=cohort, by=None, text="Answered", kind="text")
    apply_as(cohort, "a@example.org", answers={str(answered.pk): "Because"})
    client = client_for(convenor)
    url = reverse("signups:questions", args=[cohort.uuid])
    client.post(url, {"remove": unanswered.pk})
    response = client.post(url, {"remove": answered.pk}, follow=True)
    assert "already answered this question" in response.content.decode()
    assert list(cohort.questions.values_list("text", flat=True)) == ["Answered"]
    assert client.post(url, {"remove": "nonsense"}).status_code == 404


def test_a_question_of_another_cohort_cannot_be_removed_from_here(convenor, client_for) -> None:
    cohort, other = open_cohort(), open_cohort()
    theirs = services.add_question(cohort=other, by=None, text="Theirs", kind="text")
    response = client_for(convenor).post(
        reverse("signups:questions", args=[cohort.uuid]), {"remove": theirs.pk}
    )
    assert response.status_code == 404
    assert SignupQuestion.objects.filter(pk=theirs.pk).exists()


def test_the_demo_adds_pending_applications_and_two_on_the_waiting_list(convenor) -> None:
    publish_wordings()
    cohort = open_cohort(capacity=12)
    demo.load(cohort=cohort, convenor=convenor)
    statuses = list(Enrolment.objects.filter(cohort=cohort).values_list("status", flat=True))
    assert statuses.count(EnrolmentStatus.APPLIED) == 4
    assert statuses.count(EnrolmentStatus.WAITLISTED) == 2
    assert cohort.questions.count() == 3
    assert Enrolment.objects.filter(cohort=cohort).exclude(answers={}).count() == 6
