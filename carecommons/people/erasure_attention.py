"""The home page's prompt for convenors: erasure requests waiting for them."""

from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.home.attention import Item
from carecommons.people.access import can_manage_accounts
from carecommons.people.models import ErasureRequest, ErasureStatus


def erasure_items(user: User) -> list[Item]:
    if not can_manage_accounts(user):
        return []
    waiting = ErasureRequest.objects.filter(status=ErasureStatus.REQUESTED).count()
    if not waiting:
        return []
    return [
        Item(
            "Erasure requests waiting",
            f"{waiting} {'people have' if waiting != 1 else 'person has'} asked for their data to be erased.",
            reverse("people:erasure_list"),
            "See the requests",
        )
    ]
