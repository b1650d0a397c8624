"""What community assets hold about a person: assets linked to them; a gift or skill that is theirs
alone goes on erasure, other assets only lose the link (decision 0026)."""

from typing import Any

from django.db.models import Count, QuerySet

from carecommons.assets.models import Asset, AssetCategory
from carecommons.people.holdings import Collector, Erasing, Holding, Row, row
from carecommons.people.models import Person


def assets(person: Person) -> list[Row]:
    return [
        row(asset=a.name, category=a.get_category_display(), care_lab=a.lab.name, description=a.description)
        for a in Asset.objects.filter(people=person).select_related("lab")
    ]


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    linked = Asset.objects.filter(people=person).values("pk")
    only_theirs = (
        Asset.objects.filter(category=AssetCategory.INDIVIDUAL, pk__in=linked)
        .annotate(n=Count("people"))
        .filter(n=1)
        .values("pk")
    )
    return [("gifts and skills listed as community assets", Asset.objects.filter(pk__in=only_theirs))]


def unlink(person: Person, erasing: Erasing) -> None:
    Asset.people.through.objects.filter(person_id=person.pk).delete()


PERSONAL_DATA = Holding(
    covers=("asset.people",),
    sections=(Collector("assets", "Community assets linked to you", assets),),
    deleted=deleted,
    unlink=unlink,
)
