import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.audit.models import AuditEvent
from carecommons.people import services
from carecommons.people.models import Affiliation, Organisation, Person, SearchTerm

pytestmark = pytest.mark.django_db


def org(name: str = "Levenshulme Food Friends") -> Organisation:
    return services.create_organisation(by=None, name=name, kind="grassroots", area="Levenshulme")


def test_search_finds_people_by_name_preferred_name_email_and_organisation() -> None:
    siân = services.create_person(
        by=None, given_name="Siân", family_name="O'Brien", preferred_name="Shan", email="shan.ob@example.org"
    )
    other = services.create_person(by=None, given_name="Tom", family_name="Jones")
    services.add_affiliation(person=other, organisation=org(), role="volunteer", by=None)
    for query in ["sian", "SIÂN", "obrien", "o'bri", "shan", "shan.ob@", "example.org", "sian obr"]:
        assert list(Person.objects.search(query)) == [siân], query
    assert list(Person.objects.search("levensh")) == [other]
    assert list(Person.objects.search("food tom")) == [other]
    assert list(Person.objects.search("zzz")) == []


def test_renaming_an_organisation_updates_its_people_in_search(django_capture_on_commit_callbacks) -> None:
    person = services.create_person(by=None, given_name="Tom", family_name="Jones")
    group = org()
    services.add_affiliation(person=person, organisation=group, role="", by=None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.update_organisation(organisation=group, by=None, name="Burnage Food Friends")
    assert len(callbacks) == 1
    assert list(Person.objects.search("burnage")) == [person]
    assert list(Person.objects.search("levenshulme")) == []


def test_people_list_search_works_as_a_plain_form_and_as_an_htmx_fragment(convenor, client_for) -> None:
    services.create_person(by=None, given_name="Amara", family_name="Okafor")
    client = client_for(convenor)
    page = client.get(reverse("people:person_list"), {"q": "okaf"})
    assert "<html" in page.content.decode() and "Amara Okafor" in page.content.decode()
    fragment = client.get(reverse("people:person_list"), {"q": "okaf"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "Amara Okafor" in fragment.content.decode()


def test_people_list_query_count_does_not_grow_with_people(convenor, client_for) -> None:
    client = client_for(convenor)
    group = org()

    def add(n: int) -> None:
        for i in range(n):
            p = services.create_person(by=None, given_name=f"Person{i}", family_name="Test")
            services.add_affiliation(person=p, organisation=group, role="member", by=None)

    add(3)
    client.get(reverse("people:person_list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:person_list"))
    add(40)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people:person_list"))
    assert len(few) == len(many)


def test_organisation_list_query_count_does_not_grow(convenor, client_for) -> None:
    client = client_for(convenor)
    org("One")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:organisation_list"))
    for i in range(30):
        org(f"Group {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("people:organisation_list"))
    assert len(few) == len(many)


def test_a_bad_form_keeps_what_was_typed_and_says_what_is_wrong(convenor, client_for) -> None:
    response = client_for(convenor).post(
        reverse("people:person_create"),
        {"given_name": "", "family_name": "Okafor", "email": "not-an-email", "pronouns": "she/her"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Okafor"' in html and 'value="she/her"' in html
    assert "This field is required." in html and "Enter a valid email address." in html
    assert 'aria-invalid="true"' in html
    assert Person.objects.count() == 1  # only the convenor's own record


def test_duplicate_organisation_names_are_refused_beside_the_field(convenor, client_for) -> None:
    org("Hulme Recovery Cafe")
    response = client_for(convenor).post(
        reverse("people:organisation_create"), {"name": "hulme recovery café", "kind": "grassroots"}
    )
    assert "already exists" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_merging_people_keeps_everything_attached_to_either() -> None:
    group, other_group = org(), org("Moss Side Men's Shed")
    keep = services.create_person(
        by=None, given_name="Bilal", family_name="Hussain", email="bilal@example.org"
    )
    dupe = services.create_person(
        by=None,
        given_name="Bilal",
        family_name="Hussain",
        phone="07700 900123",
        accessibility_needs="Step-free access",
    )
    friend = services.create_person(by=None, given_name="Dev", family_name="Patel")
    services.add_affiliation(person=keep, organisation=group, role="representative", by=None)
    services.add_affiliation(person=dupe, organisation=group, role="representative", by=None)
    services.add_affiliation(person=dupe, organisation=other_group, role="member", by=None)
    services.add_relationship(from_person=dupe, to_person=friend, kind="friend", by=None)
    services.add_relationship(from_person=keep, to_person=dupe, kind="colleague", by=None)
    wording = services.publish_wording(purpose="contact", text="May we contact you?", by=None)
    services.record_consent(
        person=dupe, purpose="contact", given=True, method="paper", wording=wording, by=None
    )
    services.set_tags(dupe, ["cohort-2026"])

    merge = services.merge_people(survivor=keep, absorbed=dupe, by=None)

    keep.refresh_from_db()
    assert not Person.objects.filter(pk=dupe.pk).exists()
    assert keep.phone == "07700 900123" and keep.email == "bilal@example.org"
    assert keep.accessibility_needs == "Step-free access"
    assert sorted(a.organisation.name for a in keep.affiliations.all()) == [
        "Levenshulme Food Friends",
        "Moss Side Men's Shed",
    ]
    assert [r.to_person for r in keep.relationships_out.all()] == [friend]
    assert keep.consents.count() == 1
    assert [t.name for t in keep.tags.all()] == ["cohort-2026"]
    set_aside_models = sorted(row["model"] for row in merge.set_aside)
    assert set_aside_models == ["people.affiliation", "people.relationship"]
    assert merge.absorbed_fields["phone"] == "07700 900123"
    assert list(Person.objects.search("moss")) == [keep]
    assert AuditEvent.objects.filter(action="person.merged", target_id=str(keep.uuid)).exists()


def test_merge_through_the_page_needs_confirmation(convenor, client_for) -> None:
    keep = services.create_person(by=None, given_name="Bilal", family_name="Hussain")
    dupe = services.create_person(by=None, given_name="Bilal", family_name="Hussain", email="b@example.org")
    client = client_for(convenor)
    url = reverse("people:person_merge", args=[keep.uuid])
    unconfirmed = client.post(url, {"other": str(dupe.uuid)})
    assert "Tick the box" in unconfirmed.content.decode()
    assert Person.objects.filter(pk=dupe.pk).exists()
    done = client.post(url, {"other": str(dupe.uuid), "confirm": "on"})
    assert done.status_code == 302
    assert not Person.objects.filter(pk=dupe.pk).exists()
    again = client.post(url, {"other": str(dupe.uuid), "confirm": "on"})
    assert again.status_code == 404


def test_consent_history_is_appended_and_shown_on_the_person_page(convenor, client_for) -> None:
    person = services.create_person(by=None, given_name="Amara", family_name="Okafor")
    services.publish_wording(purpose="research", text="Version one words", by=None)
    client = client_for(convenor)
    url = reverse("people:consent_add", args=[person.uuid])
    client.post(url, {"purpose": "research", "decision": "given", "method": "paper"})
    services.publish_wording(purpose="research", text="Version two words", by=None)
    client.post(url, {"purpose": "research", "decision": "withdrawn", "method": "email"})
    consents = list(person.consents.order_by("decided_at", "id"))
    assert [(c.given, c.wording.version) for c in consents] == [(True, 1), (False, 2)]
    current = list(person.consents.current())
    assert len(current) == 1 and current[0].given is False
    html = client.get(reverse("people:person_detail", args=[person.uuid])).content.decode()
    assert "Gave consent" in html and "Withdrew consent" in html and "Version one words" in html


def test_sharing_consent_needs_a_named_partner(convenor, client_for) -> None:
    person = services.create_person(by=None, given_name="Amara", family_name="Okafor")
    services.publish_wording(purpose="sharing", text="Share with partner", by=None)
    response = client_for(convenor).post(
        reverse("people:consent_add", args=[person.uuid]),
        {"purpose": "sharing", "decision": "given", "method": "paper"},
    )
    assert "Choose the partner organisation" in response.content.decode()
    assert person.consents.count() == 0


def test_affiliations_and_relationships_are_added_and_removed(convenor, client_for) -> None:
    person = services.create_person(by=None, given_name="Amara", family_name="Okafor")
    friend = services.create_person(by=None, given_name="Dev", family_name="Patel", email="dev@example.org")
    group = org()
    client = client_for(convenor)
    client.post(
        reverse("people:affiliation_add", args=[person.uuid]),
        {"organisation": str(group.uuid), "role": "representative"},
    )
    client.post(
        reverse("people:relationship_add", args=[person.uuid]),
        {"to_person_email": "dev@example.org", "kind": "friend"},
    )
    affiliation = Affiliation.objects.get(person=person)
    relationship = person.relationships_out.get()
    assert relationship.to_person == friend
    assert SearchTerm.objects.filter(person=person, term="levenshulme").exists()
    client.post(reverse("people:affiliation_remove", args=[person.uuid, affiliation.pk]))
    client.post(reverse("people:relationship_remove", args=[person.uuid, relationship.pk]))
    assert not Affiliation.objects.filter(person=person).exists()
    assert not person.relationships_out.exists()
    assert not SearchTerm.objects.filter(person=person, term="levenshulme").exists()


def test_affiliation_end_before_start_is_refused(convenor, client_for) -> None:
    person = services.create_person(by=None, given_name="Amara", family_name="Okafor")
    response = client_for(convenor).post(
        reverse("people:affiliation_add", args=[person.uuid]),
        {"organisation": str(org().uuid), "started_on": "2026-05-01", "ended_on": "2026-01-01"},
    )
    assert "on or after the start date" in response.content.decode()
    assert not Affiliation.objects.exists()


def test_participants_see_only_their_own_record(participant, client_for) -> None:
    other = services.create_person(by=None, given_name="Dev", family_name="Patel")
    client = client_for(participant)
    assert client.get(reverse("people:person_detail", args=[participant.person.uuid])).status_code == 200
    assert client.get(reverse("people:person_detail", args=[other.uuid])).status_code == 404
    assert client.get(reverse("people:person_edit", args=[participant.person.uuid])).status_code == 404
    assert client.get(reverse("people:person_list")).status_code == 404


def test_organisation_pages_show_only_people_the_viewer_may_see(evaluator, client_for) -> None:
    person = services.create_person(by=None, given_name="Amara", family_name="Okafor")
    group = org()
    services.add_affiliation(person=person, organisation=group, role="", by=None)
    html = (
        client_for(evaluator).get(reverse("people:organisation_detail", args=[group.uuid])).content.decode()
    )
    assert group.name in html and "Okafor" not in html


def test_home_page_shows_convenors_what_needs_attention(convenor, client_for) -> None:
    services.create_person(by=None, given_name="Bilal", family_name="Hussain", email="b@example.org")
    services.create_person(by=None, given_name="B", family_name="Hussain", email="b@example.org")
    html = client_for(convenor).get("/").content.decode()
    assert "Possible duplicate people" in html
    assert "Contact consent not recorded" in html
