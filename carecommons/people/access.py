"""Who may see and change people and organisations. Views load rows only through here."""

from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from carecommons.accounts.models import Role, User
from carecommons.audit.access import can_read_audit_log
from carecommons.people.models import (
    Affiliation,
    ErasureRequest,
    Organisation,
    OrganisationQuerySet,
    Person,
    PersonQuerySet,
    Relationship,
)

DIRECTORY_ROLES = (Role.CONVENOR, Role.ORGANISER)


def can_use_directory(user: User) -> bool:
    return user.is_authenticated and user.has_role(*DIRECTORY_ROLES)


def can_manage_accounts(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CONVENOR)


def own_person(user: User | AnonymousUser | None) -> Person | None:
    """The person whose account this is: the one way to ask, so every app asks it alike. The
    answer (a person or none) is kept on the user, so asking again in one request costs nothing."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


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
    if can_read_audit_log(user):
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


def erasure_requests_for(user: User) -> QuerySet[ErasureRequest]:
    if not can_manage_accounts(user):
        raise Http404
    return ErasureRequest.objects.all()


def people_visible_to(user: User) -> PersonQuerySet:
    return Person.objects.visible_to(user)


def organisations_visible_to(user: User) -> OrganisationQuerySet:
    """Every organisation for anyone with a role; a 404 for anyone else."""
    if not can_see_organisations(user):
        raise Http404
    return Organisation.objects.all()


def get_affiliation(person: Person, affiliation_id: int) -> Affiliation:
    try:
        return person.affiliations.get(pk=affiliation_id)
    except Affiliation.DoesNotExist:
        raise Http404 from None


def get_relationship(person: Person, relationship_id: int) -> Relationship:
    """One of the relationships recorded from this person to someone else."""
    try:
        return person.relationships_out.get(pk=relationship_id)
    except Relationship.DoesNotExist:
        raise Http404 from None
