from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent
from carecommons.listening import services
from carecommons.listening.models import Conversation, EngagementLevel
from carecommons.listening.tests.factories import (
    conversation_wording,
    make_lab,
    make_person,
    record_conversation,
)
from carecommons.people.models import Consent, ConsentMethod, ConsentPurpose, Person
from carecommons.people.services import record_consent
from carecommons.programmes.models import Programme
from carecommons.programmes.services import enrol_person
from carecommons.programmes.tests.factories import person_of
from conftest import make_user

pytestmark = pytest.mark.django_db
ClientFor = Callable[[User], Client]
STORY = "My sister and I share caring for Dad since his stroke."


def form_data(lab: Programme, **values: Any) -> dict[str, Any]:
    data = {
        "held_on": "2026-03-02",
        "method": "phone",
        "story": STORY,
        "cares_about": "Respite that is not a waiting list.",
        "consent_given": "on",
        "listener": Person.objects.filter(facilitator_links__cohort__programme=lab).first().pk,  # type: ignore[union-attr]
    }
    return {**data, **values}


def withdraw(person: Person) -> Consent:
    return record_consent(
        person=person,
        purpose=ConsentPurpose.CONVERSATION,
        given=False,
        method=ConsentMethod.EMAIL,
        wording=conversation_wording(),
        by=None,
    )


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


# --- The labs page --------------------------------------------------------


def test_organiser_sees_the_labs_they_organise_with_counts(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    make_lab("Hillside Care Lab")
    owner = person_of(organiser)
    record_conversation(lab, by=organiser, follow_up_owner=owner, follow_up_due=timezone.localdate())
    record_conversation(lab, by=organiser, person=make_person("Ben", "Okafor"))
    response = client_for(organiser).get(reverse("listening:lab_list"))
    assert response.status_code == 200
    assert list(response.context["labs"]) == [lab]
    row = response.context["labs"][0]
    assert (row.conversation_count, row.due_count) == (2, 1)
    assert b"Hillside" not in response.content


def test_labs_page_is_a_404_for_an_organiser_who_organises_none(
    organiser: User, client_for: ClientFor
) -> None:
    make_lab()
    assert client_for(organiser).get(reverse("listening:lab_list")).status_code == 404


def test_convenor_sees_every_lab_even_when_there_are_none(convenor: User, client_for: ClientFor) -> None:
    assert client_for(convenor).get(reverse("listening:lab_list")).status_code == 200
    make_lab()
    response = client_for(convenor).get(reverse("listening:lab_list"))
    assert [lab.name for lab in response.context["labs"]] == ["Riverside Care Lab"]


def test_labs_page_query_count_does_not_grow_with_labs(convenor: User, client_for: ClientFor) -> None:
    client = client_for(convenor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("listening:lab_list")).status_code == 200
        return len(queries)

    lab = make_lab("Lab 0")
    record_conversation(lab, by=convenor)
    few = count()
    for n in range(1, 5):
        record_conversation(make_lab(f"Lab {n}"), by=convenor, person=make_person(f"P{n}"))
    assert count() == few


def test_listening_link_in_the_menu_only_for_lab_organisers(
    organiser: User, facilitator: User, client_for: ClientFor
) -> None:
    make_lab(organiser=organiser)
    link = reverse("listening:lab_list")
    assert ("Listening", link) in client_for(organiser).get(reverse("home:index")).context["nav_links"]
    assert ("Listening", link) not in client_for(facilitator).get(reverse("home:index")).context["nav_links"]


# --- The list -------------------------------------------------------------


def test_list_shows_facts_newest_first_and_never_note_text(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    old = record_conversation(lab, by=organiser, held_on=date(2026, 1, 5), story=STORY)
    new = record_conversation(lab, by=organiser, person=make_person("Ben"), held_on=date(2026, 2, 5))
    response = client_for(organiser).get(reverse("listening:conversation_list", args=[lab.uuid]))
    assert list(response.context["page"].object_list) == [new, old]
    assert b"Amira Khan" in response.content
    assert STORY.encode() not in response.content
    assert b"Respite" not in response.content


def test_list_filters_by_listener_level_method_and_follow_up(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    level = EngagementLevel.objects.filter(lab=lab).last()
    assert level is not None
    other_listener = make_person("Joe", "Harrison")
    owner = person_of(organiser)
    yesterday = timezone.localdate() - timedelta(days=1)
    overdue = record_conversation(
        lab, by=organiser, method="video", follow_up_owner=owner, follow_up_due=yesterday
    )
    by_joe = record_conversation(lab, by=organiser, person=make_person("Ben"), listener=other_listener)
    levelled = record_conversation(lab, by=organiser, person=make_person("Cara"), engagement=level)
    client = client_for(organiser)
    url = reverse("listening:conversation_list", args=[lab.uuid])

    def shown(**query: Any) -> list[Conversation]:
        return list(client.get(url, query).context["page"].object_list)

    assert shown(listener=other_listener.pk) == [by_joe]
    assert shown(engagement=level.pk) == [levelled]
    assert shown(method="video") == [overdue]
    assert shown(follow_up="overdue") == [overdue]
    assert shown(follow_up="open") == [overdue]
    assert set(shown(follow_up="none")) == {by_joe, levelled}
    services.mark_follow_up_done(conversation=overdue, by=organiser)
    assert shown(follow_up="done") == [overdue]
    assert shown(follow_up="overdue") == []


def test_list_page_links_keep_the_filters(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    for n in range(26):
        record_conversation(lab, by=organiser, person=make_person(f"P{n}"), method="phone")
    response = client_for(organiser).get(
        reverse("listening:conversation_list", args=[lab.uuid]), {"method": "phone"}
    )
    assert "?method=phone&amp;page=2" in response.content.decode()


def test_list_query_count_does_not_grow_with_conversations(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    owner = person_of(organiser)
    client = client_for(organiser)
    url = reverse("listening:conversation_list", args=[lab.uuid])
    level = EngagementLevel.objects.filter(lab=lab).first()

    def add(n: int) -> None:
        for i in range(n):
            record_conversation(
                lab, by=organiser, person=make_person(f"P{i}"), engagement=level,
                follow_up_owner=owner, follow_up_due=timezone.localdate(), story=STORY,
            )  # fmt: skip

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(2)
    few = count()
    add(20)
    assert count() == few


# --- Recording ------------------------------------------------------------


def test_organiser_records_a_conversation_with_consent_and_notes_encrypted(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    wording = conversation_wording()
    amira = make_person()
    client = client_for(organiser)
    url = reverse("listening:conversation_create", args=[lab.uuid])
    page = client.get(url)
    assert wording.text in page.content.decode()
    assert page.context["form"]["listener"].value() == person_of(organiser).pk
    level = EngagementLevel.objects.filter(lab=lab).first()
    assert level is not None
    response = client.post(
        url, form_data(lab, person_email="", person=_pick(lab, amira), engagement=level.pk)
    )
    conversation = Conversation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("listening:conversation_detail", args=[conversation.uuid])
    assert (conversation.person, conversation.listener) == (amira, person_of(organiser))
    assert conversation.story == STORY and conversation.notes_consented
    assert conversation.recorded_by == organiser and conversation.engagement == level
    consent = Consent.objects.current().get(person=amira, purpose=ConsentPurpose.CONVERSATION)
    assert consent.given and consent.wording == wording and consent.method == ConsentMethod.VERBAL
    assert consent.recorded_by == organiser
    [event] = events("listening.conversation_recorded")
    assert event.actor == organiser and STORY not in str(event.detail)


def _pick(lab: Programme, person: Person) -> int:
    """Make the person a lab member so they are in the form's list, and return their id."""
    enrol_person(cohort=lab.cohorts.get(), person=person, by=None, status="accepted")
    return person.pk


def test_without_the_box_ticked_only_the_facts_are_kept(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    conversation_wording()
    amira = make_person()
    data = form_data(lab, person=_pick(lab, amira))
    del data["consent_given"]
    response = client_for(organiser).post(
        reverse("listening:conversation_create", args=[lab.uuid]), data, follow=True
    )
    conversation = Conversation.objects.get()
    assert (conversation.story, conversation.cares_about, conversation.notes_consented) == ("", "", False)
    assert conversation.method == "phone"
    assert not Consent.objects.filter(person=amira).exists()
    assert "Saved the facts only" in response.content.decode()


def test_withdrawn_consent_keeps_only_the_facts_even_if_the_box_is_ticked(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    amira = make_person()
    withdraw(amira)
    response = client_for(organiser).post(
        reverse("listening:conversation_create", args=[lab.uuid]),
        form_data(lab, person=_pick(lab, amira)),
        follow=True,
    )
    conversation = Conversation.objects.get()
    assert conversation.story == "" and not conversation.notes_consented
    assert not Consent.objects.current().get(person=amira, purpose=ConsentPurpose.CONVERSATION).given
    assert "withdrew consent" in response.content.decode()


def test_consent_already_given_is_not_recorded_again(organiser: User) -> None:
    lab = make_lab(organiser=organiser)
    amira = make_person()
    record_conversation(lab, by=organiser, person=amira)
    record_conversation(lab, by=organiser, person=amira, story="Second time.")
    assert Consent.objects.filter(person=amira).count() == 1
    assert Conversation.objects.first().story == "Second time."  # type: ignore[union-attr]


def test_someone_new_is_added_to_the_directory_by_name_and_email(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    conversation_wording()
    data = form_data(lab, person_email="Dee@Example.org", new_given_name="Dee", new_family_name="Walsh")
    client_for(organiser).post(reverse("listening:conversation_create", args=[lab.uuid]), data)
    person = Conversation.objects.get().person
    assert (person.given_name, person.family_name, person.email) == ("Dee", "Walsh", "dee@example.org")
    assert AuditEvent.objects.get(action="person.created", target_id=str(person.uuid)).actor == organiser


def test_someone_in_the_directory_is_found_by_email(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    conversation_wording()
    dee = make_person("Dee", "Walsh", email="dee@example.org")
    client_for(organiser).post(
        reverse("listening:conversation_create", args=[lab.uuid]),
        form_data(lab, person_email="DEE@example.org"),
    )
    assert Conversation.objects.get().person == dee
    assert Person.objects.filter(email="dee@example.org").count() == 1


def test_errors_show_beside_the_fields_and_typed_values_are_kept(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    url = reverse("listening:conversation_create", args=[lab.uuid])
    client = client_for(organiser)
    response = client.post(url, form_data(lab, follow_up_due="2026-04-01"))
    form = response.context["form"]
    assert response.status_code == 200
    assert "Choose who you listened to" in form.errors["person"][0]
    assert "Choose who will follow up" in form.errors["follow_up_owner"][0]
    assert STORY in response.content.decode()
    response = client.post(
        url, form_data(lab, person_email="new@example.org", follow_up_owner=person_of(organiser).pk)
    )
    form = response.context["form"]
    assert "give their first name" in form.errors["new_given_name"][0]
    assert "Give a date" in form.errors["follow_up_due"][0]
    assert not Conversation.objects.exists()


def test_a_conversation_cannot_be_dated_in_the_future_or_before_2000(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    url = reverse("listening:conversation_create", args=[lab.uuid])
    client = client_for(organiser)
    data = form_data(lab, person=make_person("Ada").pk, held_on="3000-01-01", follow_up_due="0999-01-01")
    response = client.post(url, data)
    form = response.context["form"]
    assert form.errors["held_on"] == ["Enter a date that is not in the future."]
    assert form.errors["follow_up_due"] == ["Enter a date on or after 1 January 2000."]
    assert 'value="3000-01-01"' in response.content.decode()
    with pytest.raises(ValidationError) as caught:
        record_conversation(lab, by=organiser, held_on=timezone.localdate() + timedelta(days=1))
    assert caught.value.message_dict == {"held_on": ["Enter a date that is not in the future."]}
    conversation = record_conversation(lab, by=organiser)
    with pytest.raises(ValidationError):
        services.update_conversation(conversation=conversation, by=organiser, follow_up_due=date(3000, 1, 1))
    assert Conversation.objects.get().held_on == timezone.localdate()


def test_the_listener_cannot_be_the_person(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    me = person_of(organiser)
    response = client_for(organiser).post(
        reverse("listening:conversation_create", args=[lab.uuid]),
        form_data(lab, person=me.pk, listener=me.pk),
    )
    assert "must be different" in response.context["form"].errors["listener"][0]


def test_sending_the_form_twice_records_one_conversation_and_one_new_person(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    conversation_wording()
    client = client_for(organiser)
    url = reverse("listening:conversation_create", args=[lab.uuid])
    key = client.get(url).context["form"]["submission"].value()
    data = form_data(lab, submission=str(key), new_given_name="Dee", new_family_name="Walsh")
    first, second = client.post(url, data), client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Conversation.objects.count() == 1
    assert Person.objects.filter(given_name="Dee").count() == 1


def test_a_failed_save_rolls_back_the_new_person_and_consent(organiser: User) -> None:
    lab = make_lab(organiser=organiser)
    conversation_wording()
    other_lab_level = EngagementLevel.objects.filter(lab=make_lab("Hillside")).first()
    with pytest.raises(services.ValidationError):
        services.record_conversation(
            lab=lab, by=organiser, held_on=timezone.localdate(), method="phone",
            listener=person_of(organiser), new_given_name="Dee", consent_given=True,
            engagement=other_lab_level,
        )  # fmt: skip
    assert not Person.objects.filter(given_name="Dee").exists()
    assert not Consent.objects.exists()


# --- Changing ---------------------------------------------------------------


def test_organiser_changes_a_conversation_and_it_is_audited_without_text(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, story=STORY)
    client = client_for(organiser)
    url = reverse("listening:conversation_edit", args=[conversation.uuid])
    page = client.get(url)
    assert STORY in page.content.decode()
    assert "consent_given" not in page.context["form"].fields
    data = form_data(lab, listener=person_of(organiser).pk, story="Dad is home now.", held_on="2026-03-03")
    assert client.post(url, data).status_code == 302
    conversation.refresh_from_db()
    assert conversation.story == "Dad is home now." and conversation.held_on == date(2026, 3, 3)
    [event] = events("listening.conversation_updated")
    assert set(event.detail["fields"]) >= {"story", "held_on", "method", "cares_about"}
    assert "Dad" not in str(event.detail)


def test_after_withdrawal_notes_are_hidden_and_removed_on_the_next_save(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, story=STORY)
    withdraw(conversation.person)
    client = client_for(organiser)
    detail = client.get(reverse("listening:conversation_detail", args=[conversation.uuid]))
    assert STORY not in detail.content.decode() and "withdrew consent" in detail.content.decode()
    url = reverse("listening:conversation_edit", args=[conversation.uuid])
    page = client.get(url)
    assert STORY not in page.content.decode()
    client.post(url, form_data(lab, listener=person_of(organiser).pk, story="Should not be kept"))
    conversation.refresh_from_db()
    assert (conversation.story, conversation.cares_about, conversation.notes_consented) == ("", "", False)
    assert conversation.method == "phone"


def test_opening_the_change_form_is_audited_like_reading_the_conversation(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, story=STORY)
    client = client_for(organiser)
    url = reverse("listening:conversation_edit", args=[conversation.uuid])
    assert STORY in client.get(url).content.decode()
    [event] = events("listening.conversation_edit_viewed")
    assert event.actor == organiser and event.target_id == str(conversation.uuid)
    assert event.detail == {}
    assert client.post(url, form_data(lab, held_on="")).status_code == 200  # a mistake, shown again
    assert len(events("listening.conversation_edit_viewed")) == 1


def test_consent_given_later_lets_notes_be_added(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, consent=False, story=STORY)
    assert conversation.story == ""
    conversation_wording()
    client_for(organiser).post(
        reverse("listening:conversation_edit", args=[conversation.uuid]),
        form_data(lab, listener=person_of(organiser).pk),
    )
    conversation.refresh_from_db()
    assert conversation.story == STORY and conversation.notes_consented


# --- Reading ----------------------------------------------------------------


def test_reading_a_conversation_is_audited_without_its_text(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, story=STORY, gifts="Baking, Urdu")
    response = client_for(organiser).get(reverse("listening:conversation_detail", args=[conversation.uuid]))
    assert STORY in response.content.decode() and "Baking, Urdu" in response.content.decode()
    [event] = events("listening.conversation_viewed")
    assert event.actor == organiser and event.target_id == str(conversation.uuid)
    assert event.detail == {}


def test_detail_lists_the_issues_raised_with_links(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser)
    issue = conversation.issues.create(title="Unpaid travel time", words="They never pay the travel.")
    response = client_for(organiser).get(reverse("listening:conversation_detail", args=[conversation.uuid]))
    html = response.content.decode()
    assert reverse("listening:issue_detail", args=[issue.uuid]) in html and "Unpaid travel time" in html
    assert reverse("listening:issue_create", args=[conversation.uuid]) in html
    assert "They never pay" not in html


@pytest.mark.parametrize("persona", ["facilitator", "participant", "treasurer", "evaluator", "outsider"])
def test_conversations_are_a_404_for_everyone_but_organisers_and_convenors(
    persona: str, organiser: User, make_persona: Callable[[str], User], client_for: ClientFor
) -> None:
    someone = make_persona(persona)
    lab = make_lab(organiser=organiser, members=[someone])
    conversation = record_conversation(lab, by=organiser, story=STORY, follow_up_owner=person_of(organiser),
                                       follow_up_due=timezone.localdate())  # fmt: skip
    client = client_for(someone)
    for name, args in [
        ("listening:lab_list", []),
        ("listening:conversation_list", [lab.uuid]),
        ("listening:conversation_create", [lab.uuid]),
        ("listening:ladder", [lab.uuid]),
        ("listening:conversation_detail", [conversation.uuid]),
        ("listening:conversation_edit", [conversation.uuid]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert client.post(reverse("listening:follow_up_done", args=[conversation.uuid])).status_code == 404
    assert not events("listening.conversation_viewed")
    assert not events("listening.conversation_edit_viewed")
    assert Conversation.objects.get().follow_up_done_at is None


def test_an_organiser_of_another_lab_gets_a_404(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser)
    other = make_user("other-organiser", [Role.ORGANISER])
    make_lab("Hillside", organiser=other)
    client = client_for(other)
    assert client.get(reverse("listening:conversation_detail", args=[conversation.uuid])).status_code == 404
    assert client.get(reverse("listening:conversation_list", args=[lab.uuid])).status_code == 404


def test_a_convenor_reads_every_lab(organiser: User, convenor: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(lab, by=organiser, story=STORY)
    response = client_for(convenor).get(reverse("listening:conversation_detail", args=[conversation.uuid]))
    assert STORY in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(organiser: User) -> None:
    lab = make_lab(organiser=organiser)
    response = Client().get(reverse("listening:conversation_list", args=[lab.uuid]))
    assert response.status_code == 302 and "login" in response["Location"]


# --- Follow-ups and the home page ------------------------------------------


def test_follow_up_done_is_a_post_recorded_once(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    conversation = record_conversation(
        lab, by=organiser, follow_up_owner=person_of(organiser), follow_up_due=timezone.localdate()
    )
    client = client_for(organiser)
    url = reverse("listening:follow_up_done", args=[conversation.uuid])
    assert client.get(url).status_code == 405
    response = client.post(url, {"next": reverse("home:index")})
    assert response["Location"] == reverse("home:index")
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("listening:conversation_detail", args=[conversation.uuid])
    conversation.refresh_from_db()
    assert conversation.follow_up_done_at is not None
    assert len(events("listening.follow_up_done")) == 1


def test_home_page_lists_follow_ups_due_this_week_or_overdue(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    me = person_of(organiser)
    today = timezone.localdate()
    record_conversation(lab, by=organiser, person=make_person("Amira", "Khan"), follow_up_owner=me,
                        follow_up_due=today - timedelta(days=2))  # fmt: skip
    record_conversation(lab, by=organiser, person=make_person("Ben", "Okafor"), follow_up_owner=me,
                        follow_up_due=today + timedelta(days=6))  # fmt: skip
    record_conversation(lab, by=organiser, person=make_person("Cara", "Lund"), follow_up_owner=me,
                        follow_up_due=today + timedelta(days=9))  # fmt: skip
    done = record_conversation(lab, by=organiser, person=make_person("Dee", "Walsh"), follow_up_owner=me,
                               follow_up_due=today)  # fmt: skip
    services.mark_follow_up_done(conversation=done, by=organiser)
    html = client_for(organiser).get(reverse("home:index")).content.decode()
    assert "Follow-up overdue: Amira Khan" in html and "it is overdue" in html
    assert "Follow-up due: Ben Okafor" in html
    assert "Cara Lund" not in html and "Dee Walsh" not in html


def my_follow_ups(lab: Programme, organiser: User, count: int, *, due: date | None = None) -> None:
    for n in range(count):
        record_conversation(lab, by=organiser, person=make_person(f"Due{n}", "Later"),
                            follow_up_owner=person_of(organiser),
                            follow_up_due=due or timezone.localdate())  # fmt: skip


def test_home_page_shows_five_follow_ups_and_links_to_all_of_them(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    me = person_of(organiser)
    today = timezone.localdate()
    record_conversation(lab, by=organiser, person=make_person("Amira", "Khan"), follow_up_owner=me,
                        follow_up_due=today - timedelta(days=3))  # fmt: skip
    my_follow_ups(lab, organiser, 6, due=today + timedelta(days=2))
    client = client_for(organiser)
    html = client.get(reverse("home:index")).content.decode()
    assert html.count("Follow-up due: ") + html.count("Follow-up overdue: ") == 5
    assert "Follow-up overdue: Amira Khan" in html
    assert "7 follow-ups due this week or overdue" in html and "See all 7 follow-ups" in html
    assert reverse("listening:follow_ups") in html
    page = client.get(reverse("listening:follow_ups"))
    rows = list(page.context["page"].object_list)
    assert len(rows) == 7 and rows[0].person.display_name == "Amira Khan"
    assert "overdue" in page.content.decode()


def test_with_five_follow_ups_or_fewer_the_home_page_has_no_see_all_link(
    organiser: User, client_for: ClientFor
) -> None:
    my_follow_ups(make_lab(organiser=organiser), organiser, 5)
    html = client_for(organiser).get(reverse("home:index")).content.decode()
    assert html.count("Follow-up due: ") == 5 and "See all" not in html


def test_follow_ups_page_lists_only_my_open_follow_ups_due_this_week_in_labs_i_organise(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    today = timezone.localdate()
    my_follow_ups(lab, organiser, 1)
    my_follow_ups(lab, organiser, 1, due=today + timedelta(days=9))
    colleague = make_user("colleague", [Role.ORGANISER])
    make_lab("Hillside", organiser=colleague)
    record_conversation(lab, by=organiser, person=make_person("Theirs"),
                        follow_up_owner=person_of(colleague), follow_up_due=today)  # fmt: skip
    done = record_conversation(lab, by=organiser, person=make_person("Done"),
                               follow_up_owner=person_of(organiser), follow_up_due=today)  # fmt: skip
    services.mark_follow_up_done(conversation=done, by=organiser)
    elsewhere = make_lab("Elsewhere Care Lab")  # I am named, but do not organise it
    record_conversation(elsewhere, by=organiser, person=make_person("Elsewhere"),
                        follow_up_owner=person_of(organiser), follow_up_due=today)  # fmt: skip
    response = client_for(organiser).get(reverse("listening:follow_ups"))
    [row] = response.context["page"].object_list
    assert row.person.display_name == "Due0 Later"
    assert "Mark as done" in response.content.decode()
    assert client_for(colleague).get(reverse("listening:follow_ups")).context["page"].paginator.count == 0


def test_follow_ups_page_is_a_404_for_those_who_organise_no_lab(
    organiser: User, participant: User, client_for: ClientFor
) -> None:
    assert client_for(organiser).get(reverse("listening:follow_ups")).status_code == 404
    make_lab(organiser=organiser, members=[participant])
    assert client_for(participant).get(reverse("listening:follow_ups")).status_code == 404


def test_follow_ups_page_query_count_does_not_grow_with_follow_ups(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    client = client_for(organiser)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("listening:follow_ups")).status_code == 200
        return len(queries)

    my_follow_ups(lab, organiser, 2)
    few = count()
    my_follow_ups(lab, organiser, 20)
    assert count() == few


def test_home_page_does_not_show_others_follow_ups(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    colleague = make_user("colleague", [Role.ORGANISER])
    record_conversation(
        lab, by=organiser, follow_up_owner=person_of(colleague), follow_up_due=timezone.localdate()
    )
    assert "Follow-up due" not in client_for(organiser).get(reverse("home:index")).content.decode()


# --- The ladder -------------------------------------------------------------


def ladder_names(lab: Programme) -> list[str]:
    return list(EngagementLevel.objects.filter(lab=lab).order_by("position").values_list("name", flat=True))


def test_a_lab_starts_its_ladder_from_the_suggested_one(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser, ladder=False)
    client = client_for(organiser)
    url = reverse("listening:ladder", args=[lab.uuid])
    assert "Use the suggested ladder" in client.get(url).content.decode()
    client.post(url, {"action": "start"})
    client.post(url, {"action": "start"})
    assert ladder_names(lab) == [name for name, _ in services.DEFAULT_LADDER]
    assert len(events("listening.ladder_started")) == 1


def test_organiser_adds_renames_moves_and_removes_levels(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    client = client_for(organiser)
    url = reverse("listening:ladder", args=[lab.uuid])
    client.post(url, {"action": "add", "new-name": "Trains others", "new-description": ""})
    assert ladder_names(lab)[-1] == "Trains others"
    first = EngagementLevel.objects.get(lab=lab, name="Listened to")
    client.post(url, {"action": f"rename:{first.pk}", f"level-{first.pk}-name": "Had a one-to-one"})
    client.post(url, {"action": f"up:{first.pk}"})
    assert ladder_names(lab)[:2] == ["Came to a gathering", "Had a one-to-one"]
    client.post(url, {"action": f"down:{first.pk}"})
    client.post(url, {"action": f"down:{first.pk}"})
    assert ladder_names(lab)[:2] == ["Had a one-to-one", "Came to a gathering"]
    top = EngagementLevel.objects.get(lab=lab, name="Trains others")
    client.post(url, {"action": f"remove:{top.pk}"})
    assert "Trains others" not in ladder_names(lab)
    actions = {e.action for e in AuditEvent.objects.filter(action__startswith="listening.level_")}
    assert actions == {"listening.level_added", "listening.level_renamed", "listening.level_moved",
                       "listening.level_removed"}  # fmt: skip


def test_a_level_in_use_cannot_be_removed(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    level = EngagementLevel.objects.filter(lab=lab).first()
    assert level is not None
    record_conversation(lab, by=organiser, engagement=level)
    response = client_for(organiser).post(
        reverse("listening:ladder", args=[lab.uuid]), {"action": f"remove:{level.pk}"}, follow=True
    )
    assert EngagementLevel.objects.filter(pk=level.pk).exists()
    assert "Conversations use this level" in response.content.decode()


def test_ladder_names_are_unique_with_an_error_beside_the_field(
    organiser: User, client_for: ClientFor
) -> None:
    lab = make_lab(organiser=organiser)
    response = client_for(organiser).post(
        reverse("listening:ladder", args=[lab.uuid]), {"action": "add", "new-name": "took on a task"}
    )
    assert response.status_code == 200
    assert "already has a level" in response.context["new_form"].errors["name"][0]
    assert "took on a task" in response.content.decode()


def test_another_labs_level_cannot_be_changed(organiser: User, client_for: ClientFor) -> None:
    lab = make_lab(organiser=organiser)
    other = EngagementLevel.objects.filter(lab=make_lab("Hillside")).first()
    assert other is not None
    response = client_for(organiser).post(
        reverse("listening:ladder", args=[lab.uuid]), {"action": f"remove:{other.pk}"}
    )
    assert response.status_code == 404
    assert EngagementLevel.objects.filter(pk=other.pk).exists()
