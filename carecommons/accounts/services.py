from django.db import transaction

from carecommons.accounts.models import Role, RoleGrant, User
from carecommons.audit.services import record_event


@transaction.atomic
def grant_role(*, user: User, role: Role | str, by: User | None) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(user=user, role=Role(role))
    if created:
        record_event(actor=by, action="account.role_granted", target=user, detail={"role": role})
    user.forget_reach()
    return grant


@transaction.atomic
def revoke_role(*, user: User, role: Role | str, by: User | None) -> None:
    deleted, _ = RoleGrant.objects.filter(user=user, role=Role(role)).delete()
    if deleted:
        record_event(actor=by, action="account.role_revoked", target=user, detail={"role": role})
    user.forget_reach()


@transaction.atomic
def create_account(
    *,
    email: str,
    password: str | None,
    roles: list[Role],
    by: User | None,
    display_name: str = "",
    is_demo: bool = False,
) -> User:
    user = User.objects.create_user(
        email=email, password=password, display_name=display_name, is_demo=is_demo
    )
    record_event(actor=by, action="account.created", target=user)
    for role in roles:
        grant_role(user=user, role=role, by=by)
    return user
