"""Who may see a Care Lab's conversations, themes and map. Views load rows only through here.

A Care Lab is a Programme of kind "care_lab". Its organisers are the people with the organiser role
who facilitate one of its cohorts; convenors see every lab. Conversation notes are for organisers
and convenors only: never for guests, evaluators, treasurers or the lab's members, whatever else
they may see. Members (accepted in a lab cohort) may see and suggest assets (assets/access.py).
"""

from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.listening.models import Conversation, Issue, Theme
from carecommons.programmes.labs import labs, labs_organised_by
from carecommons.programmes.models import EnrolmentStatus, Programme


def labs_joined_by(user: User) -> QuerySet[Programme]:
    """Labs the user organises or is an accepted member of."""
    if not user.is_authenticated:
        return Programme.objects.none()
    member = Q(cohorts__enrolments__person__user=user, cohorts__enrolments__status=EnrolmentStatus.ACCEPTED)
    ids = labs().filter(member).values("id")
    return labs().filter(Q(id__in=ids) | Q(id__in=labs_organised_by(user).values("id")))


def get_lab_for_user(user: User, lab_uuid: UUID, *, member: bool = False) -> Programme:
    """A lab the user organises (or, with member=True, also one they belong to)."""
    visible = labs_joined_by(user) if member else labs_organised_by(user)
    try:
        return visible.get(uuid=lab_uuid)
    except Programme.DoesNotExist:
        raise Http404 from None


def conversations_visible_to(user: User) -> QuerySet[Conversation]:
    return Conversation.objects.filter(lab__in=labs_organised_by(user).values("id"))


def get_conversation_for_user(user: User, conversation_uuid: UUID) -> Conversation:
    try:
        return (
            conversations_visible_to(user)
            .select_related("lab", "person", "listener", "engagement")
            .get(uuid=conversation_uuid)
        )
    except Conversation.DoesNotExist:
        raise Http404 from None


def get_issue_for_user(user: User, issue_uuid: UUID) -> Issue:
    try:
        return Issue.objects.select_related("conversation__lab", "conversation__person").get(
            uuid=issue_uuid, conversation__lab__in=labs_organised_by(user).values("id")
        )
    except Issue.DoesNotExist:
        raise Http404 from None


def get_theme_for_user(user: User, theme_uuid: UUID) -> Theme:
    try:
        return Theme.objects.select_related("lab").get(
            uuid=theme_uuid, lab__in=labs_organised_by(user).values("id")
        )
    except Theme.DoesNotExist:
        raise Http404 from None
