import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carecommons.accounts.models import Role
from carecommons.assets.models import Asset, AssetStatus, Moderation
from carecommons.assets.services import update_asset
from carecommons.assets.tests.factories import make_asset, make_issue, make_lab, make_suggestion
from carecommons.audit.models import AuditEvent
from carecommons.listening.tests.factories import make_person
from carecommons.people.services import create_organisation
from carecommons.programmes.tests.factories import enrol
from conftest import make_user

pytestmark = pytest.mark.django_db


def names_listed(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/assets/a/[^"]+/">([^<]+)</a>', html)


def test_the_list_filters_by_category_and_status_and_counts_each_category(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    make_asset(lab, "Brudenell Social Club", category="cultural")
    make_asset(lab, "Woodhouse Moor", category="natural")
    make_asset(lab, "Meanwood Valley Trail", category="natural", status=AssetStatus.LOST)
    make_suggestion(lab, organiser, "Not yet decided", category="natural")
    client = client_for(organiser)
    url = reverse("assets:asset_list", args=[lab.uuid])
    html = client.get(url).content.decode()
    assert names_listed(html) == ["Brudenell Social Club", "Meanwood Valley Trail", "Woodhouse Moor"]
    assert re.search(r">Natural</a> <span class=\"muted\">\(2\)", html)
    assert re.search(r">Cultural</a> <span class=\"muted\">\(1\)", html)
    assert "1 suggestion waiting for a decision" in html
    natural = client.get(url, {"category": "natural"}).content.decode()
    assert names_listed(natural) == ["Meanwood Valley Trail", "Woodhouse Moor"]
    lost = client.get(url, {"category": "natural", "status": "lost"}).content.decode()
    assert names_listed(lost) == ["Meanwood Valley Trail"]
    waiting = client.get(url, {"moderation": "pending"}).content.decode()
    assert names_listed(waiting) == ["Not yet decided"]


def test_search_finds_names_by_their_folded_beginning(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    for name in ("Café Create", "Caféteria Hyde Park", "Men's Shed", "Hyde Park Source"):
        make_asset(lab, name)
    client = client_for(organiser)
    url = reverse("assets:asset_list", args=[lab.uuid])
    assert names_listed(client.get(url, {"q": "cafe"}).content.decode()) == [
        "Café Create",
        "Caféteria Hyde Park",
    ]
    assert names_listed(client.get(url, {"q": "MENS sh"}).content.decode()) == ["Men&#x27;s Shed"]
    assert names_listed(client.get(url, {"q": "zz"}).content.decode()) == []


def test_an_unknown_filter_value_is_shown_as_a_problem_and_ignored(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    make_asset(lab)
    response = client_for(organiser).get(
        reverse("assets:asset_list", args=[lab.uuid]), {"category": "sparkles"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert names_listed(response.content.decode()) == ["Hyde Park Source"]


def test_pages_keep_the_filters_and_hold_25_assets(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    for n in range(30):
        make_asset(lab, f"Garden {n:02}", category="natural")
    make_asset(lab, "A library", category="institution")
    client = client_for(organiser)
    url = reverse("assets:asset_list", args=[lab.uuid])
    html = client.get(url, {"category": "natural", "q": "gard"}).content.decode()
    assert len(names_listed(html)) == 25
    assert "?q=gard&amp;category=natural&amp;page=2" in html
    second = client.get(url, {"category": "natural", "q": "gard", "page": 2}).content.decode()
    assert names_listed(second) == [f"Garden {n}" for n in range(25, 30)]


def test_the_list_runs_the_same_number_of_queries_for_few_and_many_assets(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    client = client_for(organiser)
    url = reverse("assets:asset_list", args=[lab.uuid])
    make_asset(lab, "Place zero", category="natural")
    counts = []
    for more in (0, 40):
        for n in range(more):
            make_asset(lab, f"Place {n}", category=["natural", "physical", "economic"][n % 3])
        for params in ({}, {"category": "natural", "q": "pla"}, {"page": 2}):
            client.get(url, params)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, params).status_code == 200
            counts.append(len(queries))
    assert counts[:3] == counts[3:]


def test_an_organiser_adds_an_asset_with_its_place_people_organisations_and_issues(
    organiser, client_for
) -> None:
    lab = make_lab(organiser=organiser)
    maker = make_person("Mo", "Maker")
    enrol(lab.cohorts.get(), maker)
    org = create_organisation(by=None, name="Leeds Tool Library", kind="grassroots", area="Meanwood")
    issue = make_issue(lab, by=organiser, title="Can't afford repairs")
    client = client_for(organiser)
    form_page = client.get(reverse("assets:asset_create", args=[lab.uuid])).content.decode()
    key = re.search(r'name="submission" value="([^"]+)"', form_page).group(1)  # type: ignore[union-attr]
    data = {
        "submission": key,
        "name": "  Repair Café  ",
        "category": "economic",
        "status": "exists",
        "postcode": "ls6 2ab",
        "latitude": "53.8215",
        "longitude": "-1.5723",
        "people": [str(maker.uuid)],
        "organisations": [str(org.uuid)],
        "issues": [str(issue.uuid)],
    }
    first = client.post(reverse("assets:asset_create", args=[lab.uuid]), data)
    second = client.post(reverse("assets:asset_create", args=[lab.uuid]), data)
    asset = Asset.objects.get()
    assert first.url == second.url == reverse("assets:asset_detail", args=[asset.uuid])
    assert (asset.name, asset.name_key, asset.postcode, str(asset.longitude)) == (
        "Repair Café",
        "repaircafe",
        "LS6 2AB",
        "-1.572300",
    )
    assert asset.moderation == Moderation.ACCEPTED
    assert list(asset.people.all()) == [maker] and list(asset.organisations.all()) == [org]
    assert list(asset.issues.all()) == [issue]
    assert AuditEvent.objects.filter(action="asset.created", actor=organiser).count() == 1
    html = client.get(first.url).content.decode()
    assert "Leeds Tool Library" in html and "Mo Maker" in html and "Can&#x27;t afford repairs" in html
    assert AuditEvent.objects.filter(action="asset.viewed", target_id=str(asset.uuid)).count() == 1


def test_mistakes_are_shown_beside_the_field_and_what_was_typed_is_kept(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    response = client_for(organiser).post(
        reverse("assets:asset_create", args=[lab.uuid]),
        {"name": "Hyde Park Source", "category": "natural", "status": "exists", "postcode": "LS6 1CB",
         "latitude": "95", "longitude": ""},
    )  # fmt: skip
    html = response.content.decode()
    assert not Asset.objects.exists()
    assert 'value="Hyde Park Source"' in html and 'value="LS6 1CB"' in html
    postcode_field = html[html.index('for="id_postcode"') : html.index('for="id_latitude"')]
    assert "like LS6 1AB, or just its first half" in postcode_field
    assert "The latitude must be a number from -90 to 90" in html


def test_coordinates_come_in_pairs(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    response = client_for(organiser).post(
        reverse("assets:asset_create", args=[lab.uuid]),
        {"name": "Somewhere", "category": "natural", "status": "exists", "latitude": "53.8"},
    )
    html = response.content.decode()
    longitude_field = html[html.index('for="id_longitude"') :]
    assert "Give the longitude too, or leave both empty." in longitude_field
    assert not Asset.objects.exists()


def test_people_and_issues_of_another_lab_cannot_be_linked(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    other = make_lab("Elsewhere", organiser=organiser)
    stranger = make_person("Far", "Away")
    enrol(other.cohorts.get(), stranger)
    their_issue = make_issue(other, by=organiser, title="Their issue")
    response = client_for(organiser).post(
        reverse("assets:asset_create", args=[lab.uuid]),
        {"name": "X", "category": "natural", "status": "exists", "people": [str(stranger.uuid)],
         "issues": [str(their_issue.uuid)]},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.content.decode().count("Select a valid choice") == 2
    assert not Asset.objects.exists()


def test_an_organiser_changes_an_asset_and_the_change_is_audited(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    org = create_organisation(by=None, name="Friends of the Moor", kind="grassroots")
    asset = make_asset(lab, "Woodhouse Moor", category="natural", organisations=[org])
    client = client_for(organiser)
    url = reverse("assets:asset_edit", args=[asset.uuid])
    assert 'value="Woodhouse Moor"' in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Woodhouse Moor park", "category": "natural", "status": "lost", "postcode": "LS6"}
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.name_key, asset.status, asset.postcode) == ("woodhousemoorpark", "lost", "LS6")
    assert list(asset.organisations.all()) == []
    event = AuditEvent.objects.get(action="asset.updated")
    assert event.detail["fields"] == ["name", "status", "postcode", "organisations"]


def test_a_member_suggests_an_asset_which_waits_for_an_organiser(organiser, participant, client_for) -> None:
    lab = make_lab(organiser=organiser, members=[participant])
    client = client_for(participant)
    form_page = client.get(reverse("assets:asset_create", args=[lab.uuid])).content.decode()
    assert (
        "Suggest an asset" in form_page
        and 'name="people"' not in form_page
        and 'name="issues"' not in form_page
    )
    key = str(uuid.uuid4())
    data = {"submission": key, "name": "Knit and Natter", "category": "association", "status": "exists"}
    client.post(reverse("assets:asset_create", args=[lab.uuid]), data)
    response = client.post(reverse("assets:asset_create", args=[lab.uuid]), data, follow=True)
    suggestion = Asset.objects.get()
    assert (suggestion.moderation, suggestion.status, suggestion.suggested_by) == (
        Moderation.PENDING,
        AssetStatus.SUGGESTED,
        participant,
    )
    assert "An organiser will look at your suggestion" in response.content.decode()
    assert "Knit and Natter" not in names_listed(response.content.decode())


def offered_organisations(html: str) -> list[str]:
    field = html[
        html.index('name="organisations"') : html.index("</select>", html.index('name="organisations"'))
    ]
    return re.findall(r"<option [^>]*>([^<]+)</option>", field)


def test_a_suggestion_offers_only_organisations_the_member_may_see(
    organiser, participant, outsider, client_for
) -> None:
    lab = make_lab(organiser=organiser, members=[participant, outsider])
    larder = create_organisation(by=None, name="Harehills Larder", kind="grassroots")
    create_organisation(by=None, name="Quiet Trust", kind="charity")
    waiting = create_organisation(by=None, name="Waiting Group", kind="grassroots")
    make_asset(lab, "Community Fridge", category="association", organisations=[larder])
    make_suggestion(lab, participant, "Not decided", organisations=[waiting])
    make_asset(make_lab("Other lab"), "Not ours", organisations=[waiting])
    url = reverse("assets:asset_create", args=[lab.uuid])
    with_role = client_for(participant).get(url).content.decode()
    assert offered_organisations(with_role) == ["Harehills Larder", "Quiet Trust", "Waiting Group"]
    without_role = client_for(outsider)
    assert offered_organisations(without_role.get(url).content.decode()) == ["Harehills Larder"]
    data = {"submission": str(uuid.uuid4()), "name": "Knit", "category": "association"}
    refused = without_role.post(url, {**data, "organisations": [str(waiting.uuid)]})
    assert "Select a valid choice" in refused.content.decode()
    assert not Asset.objects.filter(name="Knit").exists()
    without_role.post(url, {**data, "organisations": [str(larder.uuid)]})
    assert list(Asset.objects.get(name="Knit").organisations.all()) == [larder]


def test_a_member_without_a_role_is_not_offered_organisations_when_none_are_shown_to_them(
    organiser, outsider, client_for
) -> None:
    lab = make_lab(organiser=organiser, members=[outsider])
    create_organisation(by=None, name="Quiet Trust", kind="charity")
    html = client_for(outsider).get(reverse("assets:asset_create", args=[lab.uuid])).content.decode()
    assert "Suggest an asset" in html and 'name="organisations"' not in html and "Quiet Trust" not in html


def test_an_organiser_accepts_a_suggestion_and_members_then_see_it(
    organiser, participant, client_for
) -> None:
    lab = make_lab(organiser=organiser, members=[participant])
    suggestion = make_suggestion(lab, participant, "Knit and Natter")
    declined = make_suggestion(lab, participant, "Somebody's house")
    client = client_for(organiser)
    queue = client.get(reverse("assets:moderation_queue", args=[lab.uuid])).content.decode()
    assert "Knit and Natter" in queue and "Somebody&#x27;s house" in queue and "Participant Persona" in queue
    accept = reverse("assets:asset_moderate", args=[suggestion.uuid])
    first = client.post(accept, {"decision": "accept", "note": "Lovely group"}, follow=True)
    assert "members can see it now" in first.content.decode()
    second = client.post(accept, {"decision": "reject"}, follow=True)
    assert "had already been decided" in second.content.decode()
    client.post(reverse("assets:asset_moderate", args=[declined.uuid]), {"decision": "reject"})
    suggestion.refresh_from_db()
    assert (suggestion.moderation, suggestion.moderated_by, suggestion.moderation_note) == (
        Moderation.ACCEPTED,
        organiser,
        "Lovely group",
    )
    assert AuditEvent.objects.filter(action="asset.accepted").count() == 1
    assert AuditEvent.objects.filter(action="asset.rejected").count() == 1
    member_list = client_for(participant).get(reverse("assets:asset_list", args=[lab.uuid])).content.decode()
    assert names_listed(member_list) == ["Knit and Natter"]


def test_the_moderation_queue_runs_the_same_number_of_queries_for_few_and_many_suggestions(
    organiser, client_for
) -> None:
    lab = make_lab(organiser=organiser)
    larder = create_organisation(by=None, name="Harehills Larder", kind="grassroots")
    council = create_organisation(by=None, name="Leeds City Council", kind="statutory")
    client = client_for(organiser)
    url = reverse("assets:moderation_queue", args=[lab.uuid])

    def suggest(count: int) -> None:
        for n in range(count):
            member = make_user(f"member-{uuid.uuid4().hex[:8]}", [Role.PARTICIPANT], with_person=n % 2 == 0)
            make_suggestion(lab, member, f"Suggestion {n}", organisations=[larder, council][: n % 3])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    suggest(2)
    few = count()
    suggest(30)
    assert count() == few


def test_a_decision_must_be_chosen(organiser, participant, client_for) -> None:
    lab = make_lab(organiser=organiser, members=[participant])
    suggestion = make_suggestion(lab, participant)
    response = client_for(organiser).post(
        reverse("assets:asset_moderate", args=[suggestion.uuid]), {"note": "hm"}
    )
    assert "Choose to accept it or not." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.moderation == Moderation.PENDING


def test_an_individuals_gift_is_placed_no_closer_than_its_postcode_district(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    client = client_for(organiser)
    data = {"name": "Baking", "category": "individual", "status": "exists", "postcode": "ls6 1ab"}
    response = client.post(reverse("assets:asset_create", args=[lab.uuid]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "give only the first half of the postcode, like M14" in page
    assert 'value="ls6 1ab"' in page
    coordinates = data | {"postcode": "LS6", "latitude": "53.8", "longitude": "-1.55"}
    page = client.post(reverse("assets:asset_create", args=[lab.uuid]), coordinates).content.decode()
    assert "Leave the coordinates empty for someone&#x27;s own gifts and skills" in page
    assert not Asset.objects.exists()

    client.post(reverse("assets:asset_create", args=[lab.uuid]), data | {"postcode": "LS6"})
    assert Asset.objects.get().postcode == "LS6"


def test_the_asset_service_and_the_database_refuse_an_exact_place_for_an_individual(organiser) -> None:
    lab = make_lab(organiser=organiser)
    with pytest.raises(ValidationError) as caught:
        make_asset(lab, "Baking", category="individual", postcode="LS6 1AB", latitude=53.8, longitude=-1.5)
    assert set(caught.value.message_dict) == {"postcode", "latitude"}
    asset = make_asset(lab, "Baking", category="individual", postcode="LS6")
    with pytest.raises(ValidationError):
        update_asset(asset=asset, by=None, postcode="LS6 1AB")
    with pytest.raises(IntegrityError), transaction.atomic():
        Asset.objects.filter(pk=asset.pk).update(postcode="LS6 1AB")
    park = make_asset(lab, "Hyde Park", category="natural", postcode="LS6 1AB", latitude=53.8, longitude=-1.5)
    assert park.postcode == "LS6 1AB"


def test_organisers_pages_link_to_the_labs_conversations_and_network(
    organiser, participant, client_for
) -> None:
    lab = make_lab(organiser=organiser, members=[participant])
    url = reverse("assets:asset_list", args=[lab.uuid])
    conversations = reverse("listening:conversation_list", args=[lab.uuid])
    network = reverse("networks:network_page", args=[lab.uuid])
    html = client_for(organiser).get(url).content.decode()
    assert conversations in html and network in html
    html = client_for(participant).get(url).content.decode()
    assert conversations not in html and network not in html


def test_organisers_home_page_says_when_suggestions_are_waiting(organiser, participant, client_for) -> None:
    lab = make_lab(organiser=organiser, members=[participant])
    make_suggestion(lab, participant, "One")
    make_suggestion(lab, participant, "Two")
    make_suggestion(make_lab("Not mine"), participant, "Three")
    html = client_for(organiser).get(reverse("home:index")).content.decode()
    assert f"Asset suggestions waiting: {lab.name}" in html
    assert "2 suggestions from members" in html and "Not mine" not in html
    assert (
        "Asset suggestions waiting" not in client_for(participant).get(reverse("home:index")).content.decode()
    )


def test_a_decided_suggestion_says_so_instead_of_offering_the_form_again(
    organiser, participant, client_for
) -> None:
    lab = make_lab(organiser=organiser, members=[participant])
    suggestion = make_suggestion(lab, participant)
    client = client_for(organiser)
    url = reverse("assets:asset_moderate", args=[suggestion.uuid])
    assert 'name="decision"' in client.get(url).content.decode()
    client.post(url, {"decision": "reject"})
    html = client.get(url).content.decode()
    assert "already been decided: not accepted" in html and 'name="decision"' not in html


def test_someone_who_left_the_lab_stays_linked_until_an_organiser_unlinks_them(organiser, client_for) -> None:
    lab = make_lab(organiser=organiser)
    leaver, stayer = make_person("Lee", "Leaver"), make_person("Sam", "Stayer")
    for person in (leaver, stayer):
        enrol(lab.cohorts.get(), person)
    asset = make_asset(lab, "Chess lessons", category="individual", people=[leaver, stayer])
    make_asset(lab, "Draughts", category="individual", people=[stayer])
    lab.cohorts.get().enrolments.filter(person=leaver).update(status="withdrawn")
    client = client_for(organiser)
    url = reverse("assets:asset_edit", args=[asset.uuid])
    assert client.get(url).content.decode().count("Sam Stayer</option>") == 1
    data = {"name": "Chess lessons", "category": "individual", "status": "exists"}
    assert client.post(url, {**data, "people": [str(leaver.uuid), str(stayer.uuid)]}).status_code == 302
    assert client.post(url, {**data, "people": [str(stayer.uuid)]}).status_code == 302
    assert list(asset.people.all()) == [stayer]
    response = client.post(url, {**data, "people": [str(leaver.uuid)]})
    assert "Select a valid choice" in response.content.decode()
