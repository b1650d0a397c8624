import pytest
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.transfers.models import ImportStatus
from carecommons.transfers.tests.factories import checked_batch, people_csv, review_url

OUTSIDERS = ["participant", "facilitator", "evaluator", "treasurer", "outsider"]
DIRECTORY_USERS = ["convenor", "organiser"]


def transfer_urls(owner: User) -> list[str]:
    batch = checked_batch(by=owner, text=people_csv(",Ann,Lee,,,"))
    return [
        reverse("transfers:import_start"),
        review_url(batch),
        reverse("transfers:export_people"),
        reverse("transfers:export_organisations"),
    ]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_everyone_but_directory_users_gets_404_on_every_transfers_url(persona, request, convenor, client_for):
    client = client_for(request.getfixturevalue(persona))
    urls = transfer_urls(convenor)
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls[:2]:
        assert client.post(url, {"import": "", "kind": "people"}).status_code == 404, url


@pytest.mark.parametrize("persona", DIRECTORY_USERS)
def test_directory_users_can_open_every_transfers_url(persona, request, convenor, client_for):
    client = client_for(request.getfixturevalue(persona))
    for url in transfer_urls(convenor):
        assert client.get(url).status_code == 200, url


def test_signed_out_visitors_are_sent_to_sign_in(client, convenor):
    for url in transfer_urls(convenor):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_batch_that_does_not_exist_is_a_404(convenor, client_for):
    url = reverse("transfers:import_review", kwargs={"batch_id": "00000000-0000-0000-0000-000000000000"})
    assert client_for(convenor).get(url).status_code == 404


def test_an_outsider_post_cannot_import_a_batch(participant, convenor, client_for):
    batch = checked_batch(by=convenor, text=people_csv(",Ann,Lee,,,"))
    client_for(participant).post(review_url(batch), {"import": ""})
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED
