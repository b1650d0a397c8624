"""The signed-in user, read once per request together with what every page asks about them.

One query loads the user, their site roles, their person record and what decides their second
factor (accounts/reach.py), and fills `User.roles`, `User.second_factor` and `user.person` with
it, so the middleware, the menu and the page ask the database for none of these again."""

from django.db.models import Exists, OuterRef

from carecommons.accounts.models import Role, RoleGrant, User
from carecommons.accounts.reach import second_factor_flags, second_factor_from


def load_signed_in(user_id: int | str) -> User | None:
    outer = OuterRef("pk")
    roles = {f"holds_{role}": Exists(RoleGrant.objects.filter(user=outer, role=role)) for role in Role}
    users = User.objects.select_related("person").annotate(**roles, **second_factor_flags(outer))
    user = users.filter(pk=user_id).first()
    if user is None:
        return None
    found = vars(user)
    found["roles"] = frozenset(role.value for role in Role if found[f"holds_{role}"])
    found["second_factor"] = second_factor_from(found)
    return user
