import json
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import RestrictedError
from django.urls import reverse
from django.utils import timezone

from carecommons.audit.models import AuditEvent
from carecommons.learningsets import services
from carecommons.learningsets.models import ActionCommitment, Presentation, SetMeeting
from carecommons.learningsets.tests.factories import days_ago, make_members, make_set, record
from carecommons.lib.action_states import ActionStatus
from carecommons.people.models import Person
from carecommons.programmes.tests.factories import make_cohort

pytestmark = pytest.mark.django_db

Row = tuple[Person | None, str, str]


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def meeting_post(held_at: datetime, rows: list[Row], *, key: str = "", **extra: str) -> dict[str, Any]:
    data = {
        "held_at": local(held_at),
        "notes": "We met in the garden.",
        "submission_key": key or str(uuid.uuid4()),
        "presenters-TOTAL_FORMS": str(len(rows)),
        "presenters-INITIAL_FORMS": "0",
        "presenters-MIN_NUM_FORMS": "0",
        "presenters-MAX_NUM_FORMS": "8",
    }
    for n, (person, question, actions) in enumerate(rows):
        data[f"presenters-{n}-presenter"] = str(person.uuid) if person else ""
        data[f"presenters-{n}-question"] = question
        data[f"presenters-{n}-actions"] = actions
    return data | extra


@pytest.fixture
def set_run_by(facilitator: Any) -> Any:
    return make_set(make_cohort(facilitator=facilitator), size=5)


def members(learning_set: Any) -> list[Person]:
    return list(Person.objects.filter(learning_set_memberships__learning_set=learning_set).order_by("id"))


def test_a_meeting_dated_before_2000_is_refused_beside_the_date_by_the_form_and_the_service(
    facilitator, client_for, set_run_by
) -> None:
    url = reverse("learningsets:meeting_create", args=[set_run_by.uuid])
    data = meeting_post(days_ago(1), []) | {"held_at": "0001-01-01T10:00"}
    response = client_for(facilitator).post(url, data)
    assert response.context["form"].errors["held_at"] == ["Enter a date on or after 1 January 2000."]
    with pytest.raises(ValidationError) as caught:
        record(set_run_by, held_at=datetime(1999, 12, 31, 10, tzinfo=timezone.get_current_timezone()))
    assert "Enter a date on or after 1 January 2000." in caught.value.message_dict["held_at"]
    assert not SetMeeting.objects.exists()


def test_a_meeting_is_saved_with_its_presentations_and_actions_together(
    facilitator, client_for, set_run_by
) -> None:
    ana, ben, *_ = members(set_run_by)
    rows: list[Row] = [
        (ana, "How do I rest without guilt?", "Take Sunday off\nTell my team I am offline"),
        (None, "", ""),
        (ben, "How do I ask my group for help?", ""),
    ]
    url = reverse("learningsets:meeting_create", args=[set_run_by.uuid])
    response = client_for(facilitator).post(url, meeting_post(days_ago(1), rows))
    meeting = SetMeeting.objects.get()
    assert response.url == reverse("learningsets:meeting_detail", args=[meeting.uuid])
    assert meeting.notes == "We met in the garden." and meeting.recorded_by == facilitator
    assert [(p.position, p.presenter, p.question) for p in meeting.presentations.all()] == [
        (1, ana, "How do I rest without guilt?"),
        (2, ben, "How do I ask my group for help?"),
    ]
    assert list(ActionCommitment.objects.values_list("text", "status")) == [
        ("Take Sunday off", "open"),
        ("Tell my team I am offline", "open"),
    ]


def test_nothing_is_saved_when_one_presenter_row_is_wrong(facilitator, client_for, set_run_by) -> None:
    ana = members(set_run_by)[0]
    earlier = record(set_run_by, held_at=days_ago(20), presenters=[ana])
    action = ActionCommitment.objects.get()
    rows: list[Row] = [(ana, "A good question", "An action"), (None, "A question with no presenter", "")]
    data = meeting_post(days_ago(1), rows, **{f"action-{action.pk}-status": "done"})
    url = reverse("learningsets:meeting_create", args=[set_run_by.uuid])
    response = client_for(facilitator).post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose who presented, or clear this row." in page
    assert "A question with no presenter" in page and "A good question" in page
    assert list(SetMeeting.objects.all()) == [earlier]
    assert Presentation.objects.count() == 1
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_the_service_saves_nothing_when_any_presenter_is_not_in_the_set(set_run_by) -> None:
    outsider = make_members(set_run_by.cohort, 1, name="Outside")[0]
    ana = members(set_run_by)[0]
    with pytest.raises(ValidationError) as error:
        services.record_meeting(
            learning_set=set_run_by,
            held_at=days_ago(1),
            presentations=[
                services.PresentationInput(presenter=ana, question="Mine", actions=("Act",)),
                services.PresentationInput(presenter=outsider, question="Theirs", actions=("Act",)),
            ],
            by=None,
        )
    assert error.value.messages == ["Outside0 Test is not a member of this set."]
    assert not SetMeeting.objects.exists() and not ActionCommitment.objects.exists()


def test_a_meeting_needs_a_presenter_and_a_time_in_the_past(facilitator, client_for, set_run_by) -> None:
    url = reverse("learningsets:meeting_create", args=[set_run_by.uuid])
    client = client_for(facilitator)
    empty = client.post(url, meeting_post(days_ago(1), [(None, "", "")] * 3))
    assert "Add at least one person who presented" in empty.content.decode()
    ana = members(set_run_by)[0]
    future = client.post(url, meeting_post(timezone.now() + timedelta(days=2), [(ana, "Q", "")]))
    assert "Enter a date that is not in the future." in future.content.decode()
    assert not SetMeeting.objects.exists()


def test_earlier_actions_are_followed_up_at_the_next_meeting(facilitator, client_for, set_run_by) -> None:
    ana, ben, *_ = members(set_run_by)
    record(set_run_by, held_at=days_ago(14), presenters=[ana], actions=["Book a massage", "Say no once"])
    massage, say_no = ActionCommitment.objects.order_by("id")
    client = client_for(facilitator)
    url = reverse("learningsets:meeting_create", args=[set_run_by.uuid])
    form = client.get(url).content.decode()
    assert "Book a massage" in form and "Say no once" in form
    assert f'name="action-{massage.pk}-status" value="open"' in form and "checked" in form
    data = meeting_post(
        days_ago(1),
        [(ben, "How do I keep going?", "Walk every day")],
        **{f"action-{massage.pk}-status": "done", f"action-{massage.pk}-note": "Felt great"},
    )
    client.post(url, data)
    second = SetMeeting.objects.latest("held_at")
    massage.refresh_from_db()
    say_no.refresh_from_db()
    assert (massage.status, massage.reviewed_at_meeting, massage.review_note) == (
        "done",
        second,
        "Felt great",
    )
    assert (say_no.status, say_no.reviewed_at_meeting) == ("open", None)
    next_form = client.get(url).content.decode()
    assert "Say no once" in next_form and "Walk every day" in next_form and "Book a massage" not in next_form
    detail = client.get(reverse("learningsets:set_detail", args=[set_run_by.uuid])).content.decode()
    assert "Book a massage — <strong>done</strong>" in detail and "Felt great" in detail
    meeting_page = client.get(reverse("learningsets:meeting_detail", args=[second.uuid])).content.decode()
    assert "Book a massage" in meeting_page and "Felt great" in meeting_page


def test_an_action_cannot_be_followed_up_at_a_meeting_before_it_was_agreed(set_run_by) -> None:
    ana = members(set_run_by)[0]
    record(set_run_by, held_at=days_ago(5), presenters=[ana])
    action = ActionCommitment.objects.get()
    with pytest.raises(ValidationError) as error:
        record(
            set_run_by,
            held_at=days_ago(10),
            presenters=[ana],
            reviews=[services.ActionReview(action=action, status="done")],
        )
    assert "was agreed after this meeting" in error.value.messages[0]
    assert SetMeeting.objects.count() == 1


def test_a_double_submit_saves_one_meeting(facilitator, client_for, set_run_by) -> None:
    ana = members(set_run_by)[0]
    record(set_run_by, held_at=days_ago(14), presenters=[ana])
    action = ActionCommitment.objects.get()
    url = reverse("learningsets:meeting_create", args=[set_run_by.uuid])
    client = client_for(facilitator)
    data = meeting_post(
        days_ago(1), [(ana, "Q", "Another action")], **{f"action-{action.pk}-status": "partly"}
    )
    first, second = client.post(url, data), client.post(url, data)
    assert SetMeeting.objects.count() == 2
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert ActionCommitment.objects.count() == 2
    assert AuditEvent.objects.filter(action="learningset.meeting_recorded").count() == 2


def test_two_forms_for_the_same_time_do_not_make_two_meetings(set_run_by) -> None:
    held_at = days_ago(3)
    record(set_run_by, held_at=held_at)
    with pytest.raises(ValidationError) as error:
        record(set_run_by, held_at=held_at)
    assert error.value.message_dict["held_at"] == ["This set already has a meeting recorded at this time."]


def test_recording_a_meeting_is_audited_with_ids_only(facilitator, set_run_by) -> None:
    ana, ben, *_ = members(set_run_by)
    record(set_run_by, held_at=days_ago(9), presenters=[ana])
    action = ActionCommitment.objects.get()
    meeting = services.record_meeting(
        learning_set=set_run_by,
        held_at=days_ago(2),
        presentations=[
            services.PresentationInput(presenter=ben, question="Private worry", actions=("A", "B"))
        ],
        reviews=[services.ActionReview(action=action, status="not_done", note="Too busy")],
        by=facilitator,
    )
    event = AuditEvent.objects.get(action="learningset.meeting_recorded", target_id=str(meeting.uuid))
    assert event.actor == facilitator
    assert event.detail == {
        "set": str(set_run_by.uuid),
        "presenters": [str(ben.uuid)],
        "actions_committed": 2,
        "actions_followed_up": [action.pk],
    }
    assert "Private worry" not in json.dumps(event.detail) and "Too busy" not in json.dumps(event.detail)


def presenter_rows(page: str) -> int:
    return len(re.findall(r'name="presenters-\d+-presenter"', page))


def test_add_another_presenter_works_without_javascript(facilitator, client_for, set_run_by) -> None:
    people = members(set_run_by)
    record(set_run_by, held_at=days_ago(9), presenters=[people[4]], actions=["Rest on Sunday"])
    earlier = ActionCommitment.objects.get()
    client = client_for(facilitator)
    url = reverse("learningsets:meeting_create", args=[set_run_by.uuid])
    blank = client.get(url).content.decode()
    assert presenter_rows(blank) == 3
    assert 'name="add_presenter"' in blank and "<script" not in blank.split("</head>")[1]
    key = re.search(r'name="submission_key" value="([0-9a-f-]+)"', blank).group(1)  # type: ignore[union-attr]
    rows: list[Row] = [(people[n], f"Question {n}", f"Action {n}") for n in range(3)]
    held_at = days_ago(1)
    follow_up = {f"action-{earlier.pk}-status": "partly", f"action-{earlier.pk}-note": "Some Sundays"}
    more = client.post(url, meeting_post(held_at, rows, key=key, add_presenter="1", **follow_up))
    page = more.content.decode()
    assert more.status_code == 200 and presenter_rows(page) == 4
    assert "Question 2" in page and "Action 1" in page and f'value="{key}"' in page
    assert f'<option value="{people[2].uuid}" selected>' in page
    assert 'value="partly" id="id_action-' in page and 'value="Some Sundays"' in page
    assert re.search(r'value="partly"[^>]*checked', page)
    assert "errorlist" not in page and SetMeeting.objects.count() == 1
    rows.append((people[3], "Question 3", "Action 3"))
    saved = client.post(url, meeting_post(held_at, rows, key=key, **follow_up))
    assert saved.status_code == 302
    meeting = SetMeeting.objects.latest("held_at")
    earlier.refresh_from_db()
    assert (earlier.status, earlier.reviewed_at_meeting) == ("partly", meeting)
    assert [p.question for p in meeting.presentations.all()] == [
        "Question 0",
        "Question 1",
        "Question 2",
        "Question 3",
    ]


def test_no_more_presenter_rows_than_members(facilitator, client_for, set_run_by) -> None:
    url = reverse("learningsets:meeting_create", args=[set_run_by.uuid])
    data = meeting_post(days_ago(1), [(None, "", "")] * 5, add_presenter="1")
    page = client_for(facilitator).post(url, data).content.decode()
    assert presenter_rows(page) == 5 and 'name="add_presenter"' not in page


def test_a_follow_up_meeting_goes_only_with_its_whole_set(set_run_by) -> None:
    ana = members(set_run_by)[0]
    record(set_run_by, held_at=days_ago(9), presenters=[ana])
    action = ActionCommitment.objects.get()
    follow_up = record(
        set_run_by, held_at=days_ago(2), reviews=[services.ActionReview(action=action, status="done")]
    )
    with pytest.raises(RestrictedError):
        follow_up.delete()
    set_run_by.cohort.delete()
    assert not SetMeeting.objects.exists() and not ActionCommitment.objects.exists()
