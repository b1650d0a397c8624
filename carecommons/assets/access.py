"""Who may see, suggest and change a Care Lab's community assets. Views load rows only through here.

A lab's organisers (and convenors) see and change every asset of the lab, moderate suggestions and
export. Members of the lab see accepted assets and the organisations linked to them, never the
people or the issues linked, and may suggest new assets for an organiser to accept. Everyone else,
whatever their role, gets a 404.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.assets.models import Asset, Moderation
from carecommons.listening.access import get_lab_for_user, labs_joined_by
from carecommons.listening.models import Issue
from carecommons.people.access import can_see_organisations
from carecommons.people.models import Organisation, Person
from carecommons.programmes.labs import labs_organised_by
from carecommons.programmes.models import EnrolmentStatus, Programme


@dataclass(frozen=True)
class LabAccess:
    lab: Programme
    organiser: bool


def get_lab_access(user: User, lab_uuid: UUID, *, organise: bool = False) -> LabAccess:
    """The lab, if the user organises it (or, unless organise=True, is a member); else a 404."""
    if organise:
        return LabAccess(get_lab_for_user(user, lab_uuid), organiser=True)
    lab = get_lab_for_user(user, lab_uuid, member=True)
    return LabAccess(lab, organiser=labs_organised_by(user).filter(pk=lab.pk).exists())


def assets_visible_to(user: User) -> QuerySet[Asset]:
    organised = Q(lab__in=labs_organised_by(user).values("id"))
    joined = Q(lab__in=labs_joined_by(user).values("id"), moderation=Moderation.ACCEPTED)
    return Asset.objects.filter(organised | joined)


def get_asset_for_user(user: User, asset_uuid: UUID, *, organise: bool = False) -> tuple[Asset, bool]:
    """The asset and whether the user organises its lab; organise=True: only for its organisers."""
    visible: QuerySet[Asset]
    if organise:
        visible = Asset.objects.filter(lab__in=labs_organised_by(user).values("id"))
    else:
        visible = assets_visible_to(user)
    try:
        asset = visible.select_related("lab").get(uuid=asset_uuid)
    except Asset.DoesNotExist:
        raise Http404 from None
    if organise:
        return asset, True
    return asset, labs_organised_by(user).filter(pk=asset.lab_id).exists()


def lab_people(lab: Programme) -> QuerySet[Person]:
    """People who belong to the lab: its accepted members, its facilitators, and the people its
    organisers have listened to or who listened. Only these may be linked to its assets."""
    belongs = (
        Q(enrolments__cohort__programme=lab, enrolments__status=EnrolmentStatus.ACCEPTED)
        | Q(facilitated_cohorts__programme=lab)
        | Q(conversations__lab=lab)
        | Q(conversations_held__lab=lab)
    )
    return Person.objects.filter(id__in=Person.objects.filter(belongs).values("id"))


def lab_issues(lab: Programme) -> QuerySet[Issue]:
    return Issue.objects.filter(conversation__lab=lab).order_by("title", "id")


def organisations_for(user: User, lab: Programme) -> QuerySet[Organisation]:
    """Organisations the user may link to an asset of the lab: the whole list for anyone who may
    read it (any role); for a member without a role, only those linked to the lab's accepted assets,
    which they already see there."""
    if can_see_organisations(user):
        return Organisation.objects.order_by("name", "id")
    linked = Asset.objects.filter(lab=lab, moderation=Moderation.ACCEPTED).values("organisations")
    return Organisation.objects.filter(id__in=linked).order_by("name", "id")
