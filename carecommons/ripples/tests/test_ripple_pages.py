"""A ripple's pages through the Django client: its branch and evidence, who may see which evidence,
the file download, adding and withdrawing evidence, and the managers' edit, coding, move and merge."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent
from carecommons.programmes.tests.factories import person_of
from carecommons.ripples import services
from carecommons.ripples.models import (
    Evidence,
    EvidenceShare,
    KeptEvidence,
    MappingRound,
    Ripple,
    SecondCoding,
)
from carecommons.ripples.tests.factories import PDF, Clients, give, make_round, ripple, statuses, url
from conftest import make_user

pytestmark = pytest.mark.django_db
KEY = "3f8a2c1e-5b7d-4e9f-8a6c-0d2e4f6a8b1c"


def test_a_ripple_and_its_evidence_page_reach_only_its_rounds_people_and_its_managers(
    mapped: MappingRound,
    bystander: User,
    participant: User,
    facilitator: User,
    convenor: User,
    outsider: User,
    client_for: Clients,
) -> None:
    made = ripple(mapped, participant)
    users = {"outsider": outsider, "not invited": bystander, "invited": participant}
    users |= {"facilitator": facilitator, "convenor": convenor}
    reached = {"outsider": 404, "not invited": 404, "invited": 200, "facilitator": 200, "convenor": 200}
    for name in ("ripple_detail", "evidence_add"):
        got = statuses(client_for, users, url(name, made.uuid))
        assert got == reached, name
    for name in ("ripple_edit", "ripple_code", "ripple_second_code", "ripple_move", "ripple_merge"):
        got = statuses(client_for, users, url(name, made.uuid))
        assert got == reached | {"invited": 404}, name


def test_the_ripple_page_shows_its_branch_what_spread_from_it_and_is_read_audited(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    top = ripple(mapped, participant, "A lunch club")
    middle = ripple(mapped, participant, "Members cook <b>together</b>", parent=top, capitals=("human",))
    ripple(mapped, participant, "They run a stall", parent=middle, valence="negative")
    page = client_for(participant).get(url("ripple_detail", middle.uuid)).content.decode()
    branch = page[page.index("Its branch") :]
    assert branch.index("Radical Caring") < branch.index("A lunch club") < branch.index("Members cook")
    assert url("ripple_detail", top.uuid) in branch
    assert "They run a stall" in branch and "(negative)" in branch
    assert "Members cook &lt;b&gt;together&lt;/b&gt;" in page and "<b>together" not in page
    assert "Human" in page and "Participant Persona" in page
    assert url("ripple_edit", middle.uuid) not in page
    managed = client_for(facilitator).get(url("ripple_detail", middle.uuid)).content.decode()
    for name in ("ripple_edit", "ripple_code", "ripple_second_code", "ripple_move", "ripple_merge"):
        assert url(name, middle.uuid) in managed
    assert AuditEvent.objects.filter(action="ripples.ripple_viewed", target_id=str(middle.uuid)).count() == 2


def test_evidence_kept_for_the_round_is_never_shown_beyond_it_unless_its_giver_agreed(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    made = ripple(mapped, participant)
    give(made, participant, participant, "Only for the people in the room", EvidenceShare.ROUND)
    give(made, participant, participant, "Anyone may read this", EvidenceShare.BEYOND)
    elsewhere = make_user("cofacilitator", [Role.FACILITATOR])
    make_round(elsewhere, programme=mapped.programme)  # manages the map, but was not in this round
    inside = client_for(participant).get(url("ripple_detail", made.uuid)).content.decode()
    assert "Only for the people in the room" in inside and "Anyone may read this" in inside
    beyond = client_for(elsewhere).get(url("ripple_detail", made.uuid)).content.decode()
    assert "Anyone may read this" in beyond and "Only for the people in the room" not in beyond


def test_an_evidence_file_downloads_as_an_attachment_audited_and_only_for_who_may_see_it(
    mapped: MappingRound, participant: User, outsider: User, client_for: Clients
) -> None:
    made = ripple(mapped, participant)
    evidence = give(made, participant, participant, "", EvidenceShare.ROUND, upload=PDF)
    page = client_for(participant).get(url("ripple_detail", made.uuid)).content.decode()
    assert url("evidence_file", evidence.uuid) in page
    response = client_for(participant).get(url("evidence_file", evidence.uuid))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action="ripples.evidence_file_read", target_id=str(evidence.uuid), actor=participant
    ).exists()
    elsewhere = make_user("cofacilitator", [Role.FACILITATOR])
    make_round(elsewhere, programme=mapped.programme)
    assert client_for(elsewhere).get(url("evidence_file", evidence.uuid)).status_code == 404
    assert client_for(outsider).get(url("evidence_file", evidence.uuid)).status_code == 404


def test_evidence_refused_for_want_of_consent_keeps_the_quote_and_the_file_for_the_next_try(
    mapped: MappingRound, participant: User, client_for: Clients
) -> None:
    made = ripple(mapped, participant)
    client = client_for(participant)
    address = url("evidence_add", made.uuid)
    form = client.get(address).content.decode()
    assert 'name="submission"' in form and 'enctype="multipart/form-data"' in form
    data = {
        "submission": KEY,
        "quote": "It changed my week",
        "given_by": str(person_of(participant).uuid),
        "shared": "round",
        "file": SimpleUploadedFile("lunch <club>.pdf", PDF, content_type="application/pdf"),
    }
    refused = client.post(address, data)
    page = refused.content.decode()
    assert refused.status_code == 200 and not Evidence.objects.exists()
    error = page.index("Evidence is kept only with the consent")
    assert page.rindex('class="form-field has-error"', 0, error) < error < page.index('name="consented"')
    assert "It changed my week" in page
    assert "“lunch &lt;club&gt;.pdf” is kept from your last try" in page
    assert KeptEvidence.objects.count() == 1
    retry = {key: value for key, value in data.items() if key != "file"} | {"consented": "on"}
    first, again = client.post(address, retry), client.post(address, retry)
    assert first.status_code == again.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.quote == "It changed my week" and evidence.file_name == "lunch <club>.pdf"
    assert evidence.file.read() == PDF
    assert not KeptEvidence.objects.exists()


def test_evidence_can_be_withdrawn_after_asking_by_its_giver_or_a_manager_only(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    other = make_user("another", [Role.PARTICIPANT])
    services.invite(mapping_round=mapped, person=person_of(other), kind="participant", by=None)
    made = ripple(mapped, participant)
    evidence = give(made, participant, participant, "Kept with consent", EvidenceShare.ROUND)
    address = url("evidence_withdraw", evidence.uuid)
    assert client_for(other).get(address).status_code == 404
    page = client_for(other).get(url("ripple_detail", made.uuid)).content.decode()
    assert "Kept with consent" in page and address not in page
    assert address in client_for(participant).get(url("ripple_detail", made.uuid)).content.decode()
    asked = client_for(participant).post(address)
    assert "Yes, withdraw it" in asked.content.decode() and Evidence.objects.exists()
    done = client_for(participant).post(address, {"confirm": "yes"})
    assert done["Location"] == url("ripple_detail", made.uuid) and not Evidence.objects.exists()
    second = give(made, participant, participant, "Again", EvidenceShare.ROUND)
    client_for(facilitator).post(url("evidence_withdraw", second.uuid), {"confirm": "yes"})
    assert not Evidence.objects.exists()


def test_the_second_coder_never_sees_the_first_coders_capitals_and_the_first_coder_cannot_second_code(
    mapped: MappingRound, facilitator: User, convenor: User, client_for: Clients
) -> None:
    made = ripple(mapped, facilitator, capitals=("social", "human"))
    form = client_for(convenor).get(url("ripple_second_code", made.uuid)).content.decode()
    assert "not shown here" in form
    assert re.findall(r'<input type="checkbox" name="capitals"[^>]*>', form)
    assert not re.search(r'<input type="checkbox" name="capitals"[^>]*checked', form)
    refused = client_for(facilitator).post(url("ripple_second_code", made.uuid), {"capitals": ["social"]})
    page = refused.content.decode()
    error = page.index("You coded this ripple first")
    assert page.rindex('class="form-field has-error"', 0, error) < error
    assert not SecondCoding.objects.exists()
    client_for(convenor).post(url("ripple_second_code", made.uuid), {"capitals": ["human", "built"]})
    assert SecondCoding.objects.get(ripple=made).capitals == ["human", "built"]
    made.refresh_from_db()
    assert made.capitals == ["human", "social"]


def test_coding_sets_the_first_coders_capitals(
    mapped: MappingRound, participant: User, convenor: User, client_for: Clients
) -> None:
    made = ripple(mapped, participant, capitals=())
    response = client_for(convenor).post(url("ripple_code", made.uuid), {"capitals": ["natural", "built"]})
    assert response["Location"] == url("ripple_detail", made.uuid)
    made.refresh_from_db()
    assert made.capitals == ["natural", "built"] and made.coded_by == person_of(convenor)


def test_merging_asks_first_naming_both_ripples_then_merges(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    keep = ripple(mapped, participant, "A lunch club started")
    drop = ripple(mapped, facilitator, "People eat together on Fridays")
    client = client_for(facilitator)
    form = client.get(url("ripple_merge", keep.uuid)).content.decode()
    assert str(drop.uuid) in form and f'value="{keep.uuid}"' not in form
    asked = client.post(url("ripple_merge", keep.uuid), {"drop": str(drop.uuid)}).content.decode()
    assert "A lunch club started" in asked and "People eat together on Fridays" in asked
    assert "cannot be undone" in asked and 'name="confirm"' in asked
    assert Ripple.objects.get(pk=drop.pk).merged_into is None
    done = client.post(url("ripple_merge", keep.uuid), {"drop": str(drop.uuid), "confirm": "yes"})
    assert done["Location"] == url("ripple_detail", keep.uuid)
    assert Ripple.objects.get(pk=drop.pk).merged_into == keep
    page = client.get(url("ripple_detail", drop.uuid)).content.decode()
    assert "Merged on" in page and url("ripple_detail", keep.uuid) in page


def test_moving_a_ripple_under_what_spread_from_it_is_refused_beside_the_field(
    mapped: MappingRound, facilitator: User, client_for: Clients
) -> None:
    top = ripple(mapped, facilitator, "top")
    middle = ripple(mapped, facilitator, "middle", parent=top)
    low = ripple(mapped, facilitator, "low", parent=middle)
    client = client_for(facilitator)
    page = client.post(url("ripple_move", top.uuid), {"parent": str(low.uuid)}).content.decode()
    error = page.index("A ripple cannot hang from a ripple that spread from it")
    assert page.rindex('class="form-field has-error"', 0, error) < error < page.index('name="parent"')
    assert Ripple.objects.get(pk=top.pk).parent is None
    moved = client.post(url("ripple_move", low.uuid), {"parent": ""})
    assert moved.status_code == 302 and Ripple.objects.get(pk=low.pk).parent is None


def test_changing_a_ripple_keeps_what_was_typed_when_refused_and_saves_when_right(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    made = ripple(mapped, participant, "A lunch club")
    client = client_for(facilitator)
    data = {"text": "", "valence": "mixed", "intent": "intended", "happened_on": "2001-02-03"}
    page = client.post(url("ripple_edit", made.uuid), data).content.decode()
    assert "This field is required" in page and 'value="2001-02-03"' in page
    assert Ripple.objects.get(pk=made.pk).valence == "positive"
    people = {"people": [str(person_of(participant).uuid)]}
    saved = client.post(url("ripple_edit", made.uuid), data | {"text": "A weekly lunch club"} | people)
    assert saved.status_code == 302
    made.refresh_from_db()
    assert (made.text, made.valence, made.intent) == ("A weekly lunch club", "mixed", "intended")
    assert [link.person for link in made.links.all()] == [person_of(participant)]


def test_a_merged_ripple_is_read_but_never_changed_or_added_to(
    mapped: MappingRound, facilitator: User, participant: User, client_for: Clients
) -> None:
    keep, drop = ripple(mapped, participant, "Kept"), ripple(mapped, participant, "Dropped")
    services.merge_ripples(keep=keep, drop=drop, by=facilitator)
    client = client_for(facilitator)
    assert client.get(url("ripple_detail", drop.uuid)).status_code == 200
    for name in ("ripple_edit", "ripple_code", "ripple_second_code", "ripple_move", "ripple_merge"):
        assert client.get(url(name, drop.uuid)).status_code == 404, name
    assert client_for(participant).get(url("evidence_add", drop.uuid)).status_code == 404


def test_the_second_coder_comes_back_to_their_own_coding(
    mapped: MappingRound, facilitator: User, convenor: User, client_for: Clients
) -> None:
    made = ripple(mapped, facilitator, capitals=("social",))
    services.second_code(ripple=made, capitals=["natural"], by=convenor)
    form = client_for(convenor).get(url("ripple_second_code", made.uuid)).content.decode()
    assert re.search(r'<input type="checkbox" name="capitals" value="natural"[^>]*checked', form)
    assert not re.search(r'<input type="checkbox" name="capitals" value="social"[^>]*checked', form)
