"""Who may see and run programmes, cohorts and sessions. Views load rows only through here.

Convenors see and change everything. Facilitators see and run only the cohorts they facilitate.
Participants see the cohorts where their place is accepted, and those cohorts' sessions.
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from carecommons.accounts.models import Role, User
from carecommons.people.models import Person
from carecommons.programmes.models import (
    Attendance,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Material,
    Programme,
    Session,
    SessionQuerySet,
)


def is_convenor(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CONVENOR)


def facilitated_q(user: User, prefix: str = "") -> Q:
    return Q(**{f"{prefix}facilitator_links__person__user": user})


def member_q(user: User, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}enrolments__person__user": user, f"{prefix}enrolments__status": EnrolmentStatus.ACCEPTED}
    )


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    if is_convenor(user):
        return Cohort.objects.all()
    ids = Cohort.objects.filter(facilitated_q(user) | member_q(user)).values("id")
    return Cohort.objects.filter(id__in=ids)


def cohorts_run_by(user: User) -> QuerySet[Cohort]:
    if is_convenor(user):
        return Cohort.objects.all()
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(id__in=Cohort.objects.filter(facilitated_q(user)).values("id"))


def programmes_visible_to(user: User) -> QuerySet[Programme]:
    if is_convenor(user):
        return Programme.objects.all()
    return Programme.objects.filter(id__in=cohorts_visible_to(user).values("programme_id"))


def sessions_visible_to(user: User) -> SessionQuerySet:
    return Session.objects.filter(cohort__in=cohorts_visible_to(user).values("id"))


def can_run(user: User, cohort: Cohort) -> bool:
    return is_convenor(user) or cohorts_run_by(user).filter(pk=cohort.pk).exists()


def get_programme_for_user(user: User, programme_uuid: UUID, *, write: bool = False) -> Programme:
    if write and not is_convenor(user):
        raise Http404
    try:
        return programmes_visible_to(user).get(uuid=programme_uuid)
    except Programme.DoesNotExist:
        raise Http404 from None


def cohorts_for(user: User, *, write: bool, run: bool) -> QuerySet[Cohort]:
    """write: change the cohort itself (convenors); run: take registers, reports (its facilitators
    too); otherwise: see it (also its accepted members)."""
    if write:
        return Cohort.objects.all() if is_convenor(user) else Cohort.objects.none()
    return cohorts_run_by(user) if run else cohorts_visible_to(user)


def get_cohort_for_user(user: User, cohort_uuid: UUID, *, write: bool = False, run: bool = False) -> Cohort:
    try:
        return cohorts_for(user, write=write, run=run).select_related("programme").get(uuid=cohort_uuid)
    except Cohort.DoesNotExist:
        raise Http404 from None


def get_session_for_user(
    user: User, session_uuid: UUID, *, write: bool = False, run: bool = False
) -> Session:
    cohorts = cohorts_for(user, write=write, run=run)
    try:
        return Session.objects.select_related("cohort__programme").get(
            uuid=session_uuid, cohort__in=cohorts.values("id")
        )
    except Session.DoesNotExist:
        raise Http404 from None


def get_material_for_user(user: User, material_uuid: UUID, *, run: bool = False) -> Material:
    """A session's material, for those who see the session (run=True: who run it)."""
    cohorts = cohorts_for(user, write=False, run=run)
    try:
        return Material.objects.select_related("session").get(
            uuid=material_uuid, session__cohort__in=cohorts.values("id")
        )
    except Material.DoesNotExist:
        raise Http404 from None


def get_facilitator(cohort: Cohort, person_uuid: UUID) -> Person:
    try:
        return cohort.facilitators.get(uuid=person_uuid)
    except Person.DoesNotExist:
        raise Http404 from None


def register_of(session: Session) -> QuerySet[Person]:
    """Who belongs on the register: accepted members of the cohort, plus anyone already marked."""
    members = Enrolment.objects.filter(cohort_id=session.cohort_id, status=EnrolmentStatus.ACCEPTED)
    marked = Attendance.objects.filter(session=session)
    return Person.objects.filter(Q(id__in=members.values("person_id")) | Q(id__in=marked.values("person_id")))


def get_register_person(session: Session, person_uuid: UUID) -> Person:
    try:
        return register_of(session).get(uuid=person_uuid)
    except Person.DoesNotExist:
        raise Http404 from None
