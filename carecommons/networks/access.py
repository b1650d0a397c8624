"""Who may see a Care Lab's relationship network: its organisers and convenors, as for its
conversations (views load the lab itself with listening.access.get_lab_for_user). Anyone else gets
a 404, for the lab and for every one of its snapshots."""

from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from carecommons.accounts.models import User
from carecommons.networks.models import Snapshot
from carecommons.programmes.labs import labs_organised_by


def snapshots_visible_to(user: User) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(lab__in=labs_organised_by(user).values("id"))


def get_snapshot_for_user(user: User, snapshot_uuid: UUID) -> Snapshot:
    try:
        return snapshots_visible_to(user).select_related("lab", "taken_by").get(uuid=snapshot_uuid)
    except Snapshot.DoesNotExist:
        raise Http404 from None
