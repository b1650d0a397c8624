"""The rounds pages through the Django client: who reaches them, the live page's short form with and
without htmx, its fragment, inviting and closing, and a round started from a session."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.models import AuditEvent
from carecommons.people.services import create_organisation
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session, person_of
from carecommons.ripples import services
from carecommons.ripples.models import MappingRound, Ripple, RoundInvitee
from carecommons.ripples.tests.factories import Clients, make_round, ripple, statuses, url
from conftest import make_user

pytestmark = pytest.mark.django_db
KEY = "6d2b8f0e-3c4a-4f7b-9e1d-2a5c7b9d0e13"
OTHER_KEY = "9a1c3e5f-7b2d-4c6e-8f0a-1b3d5f7a9c2e"


def quick(text: str = "Neighbours started a lunch club", key: str = KEY, **more: str) -> dict[str, str]:
    return {"quick": "1", "submission": key, "text": text, "valence": "positive", "parent": "", **more}


def test_the_round_and_its_list_reach_only_its_people_its_facilitator_and_convenors(
    mapped: MappingRound,
    bystander: User,
    participant: User,
    facilitator: User,
    convenor: User,
    outsider: User,
    client_for: Clients,
) -> None:
    users = {
        "outsider": outsider,
        "not invited": bystander,
        "invited": participant,
        "facilitator": facilitator,
        "convenor": convenor,
    }
    reached = {"outsider": 404, "not invited": 404, "invited": 200, "facilitator": 200, "convenor": 200}
    managed = reached | {"invited": 404}
    for name in ("round_detail", "round_ripples", "ripple_add"):
        assert statuses(client_for, users, url(name, mapped.uuid)) == reached, name
    for name in ("round_invite", "round_close"):
        assert statuses(client_for, users, url(name, mapped.uuid)) == managed, name


def test_the_round_page_is_read_audited_and_managers_see_their_links(
    mapped: MappingRound, participant: User, facilitator: User, client_for: Clients
) -> None:
    mine = client_for(facilitator).get(url("round_detail", mapped.uuid)).content.decode()
    theirs = client_for(participant).get(url("round_detail", mapped.uuid)).content.decode()
    for link in (url("round_invite", mapped.uuid), url("round_close", mapped.uuid)):
        assert link in mine and link not in theirs
    assert url("map_detail", mapped.programme.uuid) in mine
    assert 'name="text"' in theirs and 'type="radio"' in theirs and 'name="parent"' in theirs
    assert AuditEvent.objects.filter(action="ripples.round_viewed", target_id=str(mapped.uuid)).count() == 2


def test_the_short_form_adds_a_ripple_once_however_often_it_is_sent_and_comes_back_to_the_round(
    mapped: MappingRound, participant: User, client_for: Clients
) -> None:
    client = client_for(participant)
    first = client.post(url("ripple_add", mapped.uuid), quick())
    again = client.post(url("ripple_add", mapped.uuid), quick())
    assert first.status_code == again.status_code == 302
    assert first["Location"] == url("round_detail", mapped.uuid)
    made = Ripple.objects.get()
    assert made.text == "Neighbours started a lunch club"
    assert made.named_by == person_of(participant)
    page = client.get(first["Location"]).content.decode()
    assert "Ripple added" in page and "Neighbours started a lunch club" in page


def test_an_htmx_post_gets_a_fresh_form_and_the_fresh_list_instead_of_a_redirect(
    mapped: MappingRound, participant: User, client_for: Clients
) -> None:
    top = ripple(mapped, participant, "A lunch club")
    response = client_for(participant).post(
        url("ripple_add", mapped.uuid),
        quick("Two members now cook together", parent=str(top.uuid)),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert 'id="ripple-add"' in fragment and 'id="ripple-list"' in fragment
    assert fragment.count('hx-swap-oob="true"') == 2
    assert "Added: “Two members now cook together”" in fragment
    assert KEY not in fragment  # a fresh form carries a fresh key
    assert 'hx-trigger="every 5s"' in fragment
    assert Ripple.objects.get(text="Two members now cook together").parent == top


def test_the_fragment_alone_lists_the_rounds_ripples_nested_and_polls_only_while_the_round_is_open(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    top = ripple(mapped, facilitator, "A lunch club", capitals=("social", "human"))
    ripple(mapped, facilitator, "Two members cook together", parent=top, valence="mixed")
    client = client_for(participant)
    fragment = client.get(url("round_ripples", mapped.uuid), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 5s"' in fragment
    assert fragment.index("A lunch club") < fragment.index("<ul>") < fragment.index("Two members cook")
    assert "Human, Social" in fragment and "Mixed" in fragment
    services.close_round(mapping_round=mapped, by=facilitator)
    closed = client.get(url("round_ripples", mapped.uuid), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in closed and "A lunch club" in closed


def test_a_closed_round_refuses_its_invitees_but_not_its_facilitator(
    mapped: MappingRound, participant: User, facilitator: User, client_for: Clients
) -> None:
    services.close_round(mapping_round=mapped, by=facilitator)
    assert client_for(participant).post(url("ripple_add", mapped.uuid), quick()).status_code == 404
    page = client_for(participant).get(url("round_detail", mapped.uuid)).content.decode()
    assert 'name="text"' not in page and "This round is closed" in page
    assert client_for(facilitator).post(url("ripple_add", mapped.uuid), quick()).status_code == 302
    assert Ripple.objects.count() == 1


def test_a_refused_short_form_keeps_what_was_typed_shows_why_beside_the_field_and_adds_nothing(
    mapped: MappingRound, participant: User, client_for: Clients
) -> None:
    typed = "The allotment " + "grew " * 120
    client = client_for(participant)
    response = client.post(url("ripple_add", mapped.uuid), quick(typed.strip(), valence="negative"))
    assert response.status_code == 200
    page = response.content.decode()
    error = page.index("at most 500 characters")
    assert page.rindex('class="form-field has-error"', 0, error) < error < page.index('<textarea name="text"')
    assert typed.strip() in page
    assert re.search(r'<input type="radio" name="valence" value="negative"[^>]*checked', page)
    htmx = client.post(url("ripple_add", mapped.uuid), quick(""), HTTP_HX_REQUEST="true").content.decode()
    assert "This field is required" in htmx and "Not added yet" in htmx
    assert not Ripple.objects.exists()


def test_typed_markup_is_shown_as_words_on_the_round_page(
    mapped: MappingRound, participant: User, client_for: Clients
) -> None:
    client = client_for(participant)
    client.post(url("ripple_add", mapped.uuid), quick("<script>alert('ripple')</script>"))
    page = client.get(url("round_detail", mapped.uuid)).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;ripple&#x27;)&lt;/script&gt;" in page


def test_the_round_page_and_its_fragment_take_the_same_queries_however_many_ripples(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    client = client_for(participant)
    partner = create_organisation(by=None, name="Food Bank", kind="charity")
    counts = []
    parent = None
    for n in (1, 6):
        while Ripple.objects.count() < n:
            made = ripple(mapped, facilitator, f"Ripple {Ripple.objects.count()}", parent=parent)
            services.change_ripple(
                ripple=made,
                words=services.RippleWords(made.text),
                by=facilitator,
                links=[partner, person_of(participant)],
            )
            parent = made
        for name in ("round_detail", "round_ripples"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(name, mapped.uuid)).status_code == 200
            counts.append((name, len(queries)))
    assert counts[:2] == counts[2:]


def test_the_list_of_rounds_shows_mine_newest_first_in_the_same_queries_however_many(
    facilitator: User, participant: User, outsider: User, client_for: Clients
) -> None:
    client = client_for(participant)
    counts = []
    for n in (1, 4):
        while MappingRound.objects.count() < n:
            made = make_round(facilitator, participant, title=f"Round {MappingRound.objects.count()}")
            ripple(made, participant)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url("round_list")).content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Round 0" in page and "Radical Caring" in page and "1 ripple ·" in page
    assert (
        "You are not in any mapping round yet" in client_for(outsider).get(url("round_list")).content.decode()
    )


def test_the_list_offers_starting_rounds_and_the_maps_a_facilitator_looks_after(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    mine = client_for(facilitator).get(url("round_list")).content.decode()
    assert url("round_new", mapped.programme.uuid) in mine
    assert url("map_detail", mapped.programme.uuid) in mine
    theirs = client_for(participant).get(url("round_list")).content.decode()
    assert "Start a round" not in theirs and url("map_detail", mapped.programme.uuid) not in theirs
    assert url("round_detail", mapped.uuid) in theirs


def test_a_facilitator_starts_a_round_once_and_is_its_facilitator(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    address = url("round_new", mapped.programme.uuid)
    assert client_for(participant).get(address).status_code == 404
    client = client_for(facilitator)
    form = client.get(address).content.decode()
    assert 'type="date"' in form and 'name="submission"' in form
    data = {"submission": KEY, "title": "One year on", "held_on": timezone.localdate().isoformat()}
    first, again = client.post(address, data), client.post(address, data)
    made = MappingRound.objects.get(title="One year on")
    assert first["Location"] == again["Location"] == url("round_detail", made.uuid)
    assert made.facilitator == person_of(facilitator)
    assert (
        "“One year on” is ready. Invite people, then map together."
        in client.get(first["Location"]).content.decode()
    )


def test_a_round_with_a_bad_date_or_no_title_is_refused_beside_the_field_keeping_what_was_typed(
    mapped: MappingRound, facilitator: User, client_for: Clients
) -> None:
    far = (timezone.localdate() + timedelta(days=5 * 366)).isoformat()
    data = {"submission": KEY, "title": "Spring <b>map</b>", "held_on": far}
    page = client_for(facilitator).post(url("round_new", mapped.programme.uuid), data).content.decode()
    assert 'class="form-field has-error"' in page and far in page
    assert "Spring &lt;b&gt;map&lt;/b&gt;" in page
    assert MappingRound.objects.count() == 1


def test_a_round_started_from_a_session_invites_its_cohort_and_shows_in_its_report(
    facilitator: User, participant: User, convenor: User, client_for: Clients
) -> None:
    cohort = make_cohort(facilitator=facilitator)
    enrol(cohort, participant)
    session = make_session(cohort, title="Workshop 3")
    session_page = reverse("programmes:session_detail", args=[session.uuid])
    start = url("round_from_session", session.uuid)
    assert start in client_for(facilitator).get(session_page).content.decode()
    assert start in client_for(convenor).get(session_page).content.decode()
    assert start not in client_for(participant).get(session_page).content.decode()
    assert client_for(participant).get(start).status_code == 404
    client = client_for(facilitator)
    assert 'value="Ripple map: Workshop 3"' in client.get(start).content.decode()
    data = {"submission": KEY, "title": "Ripples of {workshop} 3"}
    first, again = client.post(start, data), client.post(start, data)
    made = MappingRound.objects.get()
    assert first["Location"] == again["Location"] == url("round_detail", made.uuid)
    said = "“Ripples of {workshop} 3” has started. The cohort's members are invited."
    assert said in client.get(first["Location"]).content.decode().replace("&#x27;", "'")
    assert made.session == session and made.facilitator == person_of(facilitator)
    assert [i.person for i in RoundInvitee.objects.filter(round=made)] == [person_of(participant)]
    ripple(made, participant)
    report = client.get(reverse("programmes:closing_report", args=[session.uuid])).content.decode()
    assert "Ripple maps" in report and "Ripples of {workshop} 3: 1 ripple" in report


def test_the_facilitator_invites_a_cohort_member_and_a_convenor_anyone_by_email(
    mapped: MappingRound, bystander: User, facilitator: User, convenor: User, client_for: Clients
) -> None:
    address = url("round_invite", mapped.uuid)
    client = client_for(facilitator)
    form = client.get(address).content.decode()
    assert person_of(bystander).display_name in form and 'name="email"' not in form
    response = client.post(address, {"person": str(person_of(bystander).uuid), "kind": "participant"})
    assert response.status_code == 302
    assert RoundInvitee.objects.filter(round=mapped, person=person_of(bystander)).exists()
    guest = make_user("guest", [])
    by_convenor = client_for(convenor)
    unknown = by_convenor.post(address, {"email": "nobody@example.org", "kind": "stakeholder"})
    assert "Nobody in the people directory has that address" in unknown.content.decode()
    by_convenor.post(address, {"email": "GUEST@example.org", "kind": "stakeholder"})
    invited = RoundInvitee.objects.get(round=mapped, person=person_of(guest))
    assert invited.kind == "stakeholder"
    assert client_for(guest).get(url("round_detail", mapped.uuid)).status_code == 200


def test_closing_a_round_asks_first(mapped: MappingRound, facilitator: User, client_for: Clients) -> None:
    client = client_for(facilitator)
    asked = client.get(url("round_close", mapped.uuid))
    assert "Yes, close the round" in asked.content.decode()
    client.post(url("round_close", mapped.uuid))
    mapped.refresh_from_db()
    assert mapped.is_open
    done = client.post(url("round_close", mapped.uuid), {"confirm": "yes"})
    assert done["Location"] == url("round_detail", mapped.uuid)
    mapped.refresh_from_db()
    assert not mapped.is_open


def test_the_full_form_adds_a_ripple_with_its_date_intent_capitals_links_and_who_named_it(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    partner = create_organisation(by=None, name="Food Bank", kind="charity")
    mapped.programme.partners.add(partner)
    top = ripple(mapped, participant, "A lunch club")
    client = client_for(facilitator)
    form = client.get(url("ripple_add", mapped.uuid)).content.decode()
    assert "Connections between people and groups" in form  # each capital's description
    assert 'type="checkbox"' in form and "Food Bank" in form and 'name="submission"' in form
    data = {
        "submission": OTHER_KEY,
        "text": "The food bank now refers people to the club",
        "valence": "positive",
        "parent": str(top.uuid),
        "happened_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "intent": "unintended",
        "capitals": ["social", "political"],
        "named_by": str(person_of(participant).uuid),
        "people": [str(person_of(participant).uuid)],
        "organisations": [str(partner.uuid)],
    }
    assert client.post(url("ripple_add", mapped.uuid), data).status_code == 302
    made = Ripple.objects.get(text=data["text"])
    assert made.parent == top and made.intent == "unintended"
    assert made.capitals == ["social", "political"] and made.coded_by == person_of(facilitator)
    assert made.named_by == person_of(participant)
    assert {(link.person_id, link.organisation_id) for link in made.links.all()} == {
        (person_of(participant).pk, None),
        (None, partner.pk),
    }


def test_asking_the_list_to_stop_refreshing_stops_its_polling_and_the_add_form_keeps_it_still(
    mapped: MappingRound, participant: User, client_for: Clients
) -> None:
    client = client_for(participant)
    moving = client.get(url("round_detail", mapped.uuid)).content.decode()
    assert 'hx-trigger="every 5s"' in moving and "?still=1" in moving
    still = client.get(url("round_detail", mapped.uuid) + "?still=1").content.decode()
    assert "hx-trigger" not in still and 'name="still"' in still
    added = client.post(
        url("ripple_add", mapped.uuid), quick() | {"still": "1"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-trigger" not in added and "Neighbours started a lunch club" in added
