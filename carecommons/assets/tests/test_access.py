"""Who sees which assets: organisers everything of their lab, members accepted assets without the
people or issues linked, everyone else a 404."""

import pytest
from django.urls import reverse

from carecommons.assets.tests.factories import make_asset, make_issue, make_lab, make_suggestion
from carecommons.listening.tests.factories import make_person
from carecommons.programmes.tests.factories import enrol, make_cohort, person_of

pytestmark = pytest.mark.django_db


def test_members_see_accepted_assets_and_organisations_but_never_the_people_or_issues_linked(
    organiser, participant, client_for
) -> None:
    lab = make_lab(organiser=organiser, members=[participant])
    gardener = make_person("Grace", "Gardener")
    enrol(lab.cohorts.get(), gardener)
    issue = make_issue(lab, by=organiser, title="Lonely winters")
    asset = make_asset(
        lab, "Grace's allotment know-how", category="individual", people=[gardener], issues=[issue]
    )
    html = client_for(participant).get(reverse("assets:asset_detail", args=[asset.uuid])).content.decode()
    assert "Grace&#x27;s allotment know-how" in html
    assert "Gardener" not in html and "Lonely winters" not in html
    html = client_for(organiser).get(reverse("assets:asset_detail", args=[asset.uuid])).content.decode()
    assert "Grace Gardener" in html and "Lonely winters" in html


def test_members_cannot_see_suggestions_waiting_or_declined(organiser, participant, client_for) -> None:
    lab = make_lab(organiser=organiser, members=[participant])
    waiting = make_suggestion(lab, participant, "Waiting one")
    client = client_for(participant)
    assert client.get(reverse("assets:asset_detail", args=[waiting.uuid])).status_code == 404
    listing = client.get(reverse("assets:asset_list", args=[lab.uuid]), {"moderation": "pending"})
    assert "Waiting one" not in listing.content.decode()
    assert client_for(organiser).get(reverse("assets:asset_detail", args=[waiting.uuid])).status_code == 200


@pytest.mark.parametrize("persona", ["evaluator", "treasurer", "facilitator", "outsider", "organiser"])
def test_people_outside_the_lab_get_a_404_whatever_their_role(persona, make_persona, client_for) -> None:
    user = make_persona(persona)
    lab = make_lab()
    asset = make_asset(lab)
    client = client_for(user)
    for url in (
        reverse("assets:asset_list", args=[lab.uuid]),
        reverse("assets:asset_create", args=[lab.uuid]),
        reverse("assets:asset_detail", args=[asset.uuid]),
        reverse("assets:export_csv", args=[lab.uuid]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_evaluator_who_is_a_member_sees_accepted_assets_but_cannot_moderate_or_export(
    evaluator, client_for
) -> None:
    lab = make_lab(members=[evaluator])
    asset = make_asset(lab)
    client = client_for(evaluator)
    assert client.get(reverse("assets:asset_detail", args=[asset.uuid])).status_code == 200
    assert client.get(reverse("assets:asset_edit", args=[asset.uuid])).status_code == 404
    assert client.get(reverse("assets:moderation_queue", args=[lab.uuid])).status_code == 404
    assert client.get(reverse("assets:export_geojson", args=[lab.uuid])).status_code == 404


def test_an_organiser_of_one_lab_cannot_reach_another_labs_assets(organiser, client_for) -> None:
    make_lab("Ours", organiser=organiser)
    theirs = make_lab("Theirs")
    asset = make_asset(theirs)
    client = client_for(organiser)
    assert client.get(reverse("assets:asset_detail", args=[asset.uuid])).status_code == 404
    assert client.get(reverse("assets:asset_moderate", args=[asset.uuid])).status_code == 404
    assert client.get(reverse("assets:export_hsds", args=[theirs.uuid])).status_code == 404


def test_a_facilitator_without_the_organiser_role_is_a_member_not_an_organiser(
    facilitator, client_for
) -> None:
    lab = make_lab()
    cohort = make_cohort(lab, facilitator=facilitator, name="Second cohort")
    enrol(cohort, person_of(facilitator))
    asset = make_asset(lab)
    client = client_for(facilitator)
    assert client.get(reverse("assets:asset_detail", args=[asset.uuid])).status_code == 200
    assert client.get(reverse("assets:asset_edit", args=[asset.uuid])).status_code == 404


def test_a_programme_that_is_not_a_care_lab_has_no_assets_page(convenor, client_for) -> None:
    from carecommons.programmes.tests.factories import make_programme

    programme = make_programme(workshops=1)
    assert client_for(convenor).get(reverse("assets:asset_list", args=[programme.uuid])).status_code == 404
