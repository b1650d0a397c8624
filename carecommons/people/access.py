"""Who may see and change people and organisations. Views load rows only through here."""

from uuid import UUID

from django.http import Http404

from carecommons.accounts.models import Role, User
from carecommons.people.models import ErasureRequest, Organisation, Person

DIRECTORY_ROLES = (Role.CONVENOR, Role.ORGANISER)
AUDIT_ROLES = (Role.CONVENOR,)


def can_use_directory(user: User) -> bool:
    return user.is_authenticated and user.has_role(*DIRECTORY_ROLES)


def can_manage_accounts(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CONVENOR)


def get_own_person(user: User, person_uuid: UUID) -> Person:
    """The signed-in person's own record; anyone else's is a 404, whatever their role."""
    try:
        return Person.objects.get(uuid=person_uuid, user=user)
    except Person.DoesNotExist:
        raise Http404 from None


def can_see_organisations(user: User) -> bool:
    return user.is_authenticated and bool(user.roles)


def can_read_audit(user: User, person: Person | None = None) -> bool:
    if not user.is_authenticated:
        return False
    if user.has_role(*AUDIT_ROLES):
        return True
    return person is not None and person.user_id == user.pk


def require_directory(user: User) -> None:
    if not can_use_directory(user):
        raise Http404


def get_person_for_user(user: User, person_uuid: UUID, *, write: bool = False) -> Person:
    """A person the user may see (write=True: may change); anything else is a 404."""
    people = Person.objects.visible_to(user)
    if write and not can_use_directory(user):
        people = people.none()
    try:
        return people.get(uuid=person_uuid)
    except Person.DoesNotExist:
        raise Http404 from None


def get_organisation_for_user(user: User, org_uuid: UUID, *, write: bool = False) -> Organisation:
    allowed = can_use_directory(user) if write else can_see_organisations(user)
    if not allowed:
        raise Http404
    try:
        return Organisation.objects.get(uuid=org_uuid)
    except Organisation.DoesNotExist:
        raise Http404 from None


def get_erasure_request_for_user(user: User, request_uuid: UUID) -> ErasureRequest:
    """Erasure requests are for convenors to act on; anyone else gets a 404."""
    if not can_manage_accounts(user):
        raise Http404
    try:
        return ErasureRequest.objects.select_related("person").get(uuid=request_uuid)
    except ErasureRequest.DoesNotExist:
        raise Http404 from None
