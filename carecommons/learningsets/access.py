"""Who may see and run learning sets. Views load sets and meetings only through here.

Convenors see and run every set. A cohort's facilitators see and run all of that cohort's sets.
A participant sees only the set they are in, while their place in the cohort is accepted;
anything else is a 404, so nobody learns that another set exists.
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.learningsets.models import LearningSet, SetMeeting, SetMembership
from carecommons.programmes.access import cohorts_run_by, cohorts_visible_to, is_convenor


def sets_run_by(user: User) -> QuerySet[LearningSet]:
    if is_convenor(user):
        return LearningSet.objects.all()
    return LearningSet.objects.filter(cohort__in=cohorts_run_by(user).values("id"))


def sets_visible_to(user: User) -> QuerySet[LearningSet]:
    if not user.is_authenticated:
        return LearningSet.objects.none()
    if is_convenor(user):
        return LearningSet.objects.all()
    own = SetMembership.objects.filter(person__user=user, cohort__in=cohorts_visible_to(user).values("id"))
    return LearningSet.objects.filter(
        Q(cohort__in=cohorts_run_by(user).values("id")) | Q(id__in=own.values("learning_set_id"))
    )


def get_set_for_user(user: User, set_uuid: UUID, *, run: bool = False) -> LearningSet:
    """run: change its members and record its meetings (convenors and the cohort's facilitators)."""
    sets = sets_run_by(user) if run else sets_visible_to(user)
    try:
        return sets.select_related("cohort__programme", "facilitator").get(uuid=set_uuid)
    except LearningSet.DoesNotExist:
        raise Http404 from None


def get_meeting_for_user(user: User, meeting_uuid: UUID) -> SetMeeting:
    try:
        return SetMeeting.objects.select_related(
            "learning_set__cohort__programme", "learning_set__facilitator"
        ).get(uuid=meeting_uuid, learning_set__in=sets_visible_to(user).values("id"))
    except SetMeeting.DoesNotExist:
        raise Http404 from None
