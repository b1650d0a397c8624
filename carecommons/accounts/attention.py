"""Home page item about the account itself: recovery codes for those who must use a second factor."""

from allauth.mfa.models import Authenticator
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.lib.attention import Item, Provider


def account_items(user: User) -> list[Item]:
    if not user.needs_two_factor or user.is_demo:
        return []
    codes = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    if codes is None:
        return [
            Item(
                "Recovery codes",
                "Make recovery codes so you can still sign in if you lose your phone.",
                reverse("mfa_generate_recovery_codes"),
                "Make recovery codes",
            )
        ]
    return []


ATTENTION = [Provider("recovery_codes", account_items)]
