"""How sign-up views load cohorts and applications: public pages see only open cohorts, staff pages
go through programmes.access, and an applicant sees only their own application."""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.programmes.access import get_cohort_for_user
from carecommons.programmes.models import Cohort, Enrolment, SignupQuestion


def get_open_cohort(cohort_uuid: UUID) -> Cohort:
    """A cohort whose public sign-up page is open; any other is a 404."""
    try:
        return Cohort.objects.select_related("programme").get(uuid=cohort_uuid, signup_open=True)
    except Cohort.DoesNotExist:
        raise Http404 from None


def open_cohorts() -> QuerySet[Cohort]:
    """Cohorts whose public sign-up page is open, soonest first, with their programme."""
    return Cohort.objects.filter(signup_open=True).select_related("programme").order_by("starts_on", "name")


def get_signup_cohort(cohort_uuid: UUID) -> Cohort:
    """A cohort whose sign-up page is open or was open once (it then says when it closed); never
    opened is a 404."""
    try:
        return Cohort.objects.select_related("programme").get(
            Q(signup_open=True) | Q(signup_closed_at__isnull=False), uuid=cohort_uuid
        )
    except Cohort.DoesNotExist:
        raise Http404 from None


def get_enrolment_for_user(user: User, enrolment_uuid: UUID, *, write: bool = False) -> Enrolment:
    """write: decide on it (convenors). Otherwise the applicant themselves may see it too."""
    try:
        enrolment = Enrolment.objects.select_related("person", "organisation", "cohort__programme").get(
            uuid=enrolment_uuid
        )
    except Enrolment.DoesNotExist:
        raise Http404 from None
    own = user.is_authenticated and enrolment.person.user_id == user.pk
    if write or not own:
        get_cohort_for_user(user, enrolment.cohort.uuid, write=True)
    return enrolment


def get_question(cohort: Cohort, question_id: str) -> SignupQuestion:
    """One of the cohort's sign-up questions, by the id a form sent; anything else is a 404."""
    try:
        return cohort.questions.get(pk=int(question_id) if question_id.isdigit() else 0)
    except SignupQuestion.DoesNotExist:
        raise Http404 from None
