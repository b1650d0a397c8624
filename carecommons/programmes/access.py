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
    CohortFacilitator,
    Enrolment,
    EnrolmentStatus,
    Material,
    Programme,
    Session,
    SessionQuerySet,
)


def is_convenor(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CONVENOR)


def facilitated_ids(user: User) -> QuerySet[CohortFacilitator, int]:
    return CohortFacilitator.objects.filter(person__user=user).values_list("cohort_id", flat=True)


def accepted_ids(user: User) -> QuerySet[Enrolment, int]:
    return Enrolment.objects.filter(person__user=user, status=EnrolmentStatus.ACCEPTED).values_list(
        "cohort_id", flat=True
    )


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    if not user.is_authenticated:
        return Cohort.objects.none()
    if is_convenor(user):
        return Cohort.objects.all()
    # Two lists found from the person's own rows (indexed), not a join of every cohort with every
    # facilitator and place: at 2,000 cohorts that join was most of a participant's home page.
    return Cohort.objects.filter(Q(id__in=facilitated_ids(user)) | Q(id__in=accepted_ids(user)))


def cohorts_run_by(user: User) -> QuerySet[Cohort]:
    if is_convenor(user):
        return Cohort.objects.all()
    if not user.is_authenticated:
        return Cohort.objects.none()
    return Cohort.objects.filter(id__in=facilitated_ids(user))


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
