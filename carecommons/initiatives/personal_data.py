"""What initiatives hold about a person: initiatives they are a member of, actions they own,
updates they wrote, calls for help they answered (decision 0026, decision 0030 section 5).

Erasure deletes their places in initiatives and their answers to calls for help. Actions they own
and updates they wrote are the group's plan and history: they are kept, unlinked from the person,
and their name is reworded to the pseudonym (lib/mentions.py) in every action, update, need and
purpose of the initiatives they took part in.
"""

from typing import Any

from django.db.models import Q, QuerySet

from carecommons.initiatives.models import (
    Initiative,
    InitiativeAction,
    InitiativeNeed,
    InitiativeUpdate,
    InitiativeVolunteer,
)
from carecommons.lib.mentions import scrub
from carecommons.people.holdings import Collector, Erasing, Holding, Row, row
from carecommons.people.models import Person


def initiatives(person: Person) -> list[Row]:
    places = [
        row(initiative=i.title, group=i.group.name, status=i.get_status_display())
        for i in Initiative.objects.filter(members=person).select_related("group")
    ]
    actions = [
        row(
            initiative=a.initiative.title,
            action=a.text,
            due_on=a.due_on,
            status=a.get_status_display(),
            note=a.note,
        )
        for a in InitiativeAction.objects.filter(owner=person).select_related("initiative")
    ]
    updates = [
        row(initiative=u.initiative.title, update=u.text, posted_on=u.posted_on)
        for u in InitiativeUpdate.objects.filter(author=person).select_related("initiative")
    ]
    volunteered = [
        row(initiative=v.need.initiative.title, call_for_help=v.need.text, volunteered_on=v.volunteered_on)
        for v in InitiativeVolunteer.objects.filter(person=person).select_related("need__initiative")
    ]
    return places + actions + updates + volunteered


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [("answers to initiatives' calls for help", InitiativeVolunteer.objects.filter(person=person))]


def touched(person: Person) -> QuerySet[Initiative]:
    return Initiative.objects.filter(
        Q(members=person) | Q(actions__owner=person) | Q(updates__author=person)
    ).distinct()


def _reword(rows: QuerySet[Any], fields: tuple[str, ...], erasing: Erasing) -> None:
    for item in rows:
        changed = []
        for name in fields:
            text = scrub(getattr(item, name), erasing.mentions, erasing.pseudonym)
            if text != getattr(item, name):
                setattr(item, name, text)
                changed.append(name)
        if changed:
            item.save(update_fields=[*changed, "updated_at"])


def unlink(person: Person, erasing: Erasing) -> None:
    ids = list(touched(person).values_list("pk", flat=True))
    _reword(Initiative.objects.filter(pk__in=ids), ("title", "purpose"), erasing)
    _reword(InitiativeAction.objects.filter(initiative_id__in=ids), ("text", "note"), erasing)
    _reword(InitiativeUpdate.objects.filter(initiative_id__in=ids), ("text",), erasing)
    _reword(InitiativeNeed.objects.filter(initiative_id__in=ids), ("text",), erasing)
    InitiativeAction.objects.filter(owner=person).update(owner=None)
    InitiativeUpdate.objects.filter(author=person).update(author=None)
    Initiative.members.through.objects.filter(person_id=person.pk).delete()


PERSONAL_DATA = Holding(
    covers=(
        "initiative.members",
        "initiativeaction.owner",
        "initiativeupdate.author",
        "initiativevolunteer.person",
    ),
    sections=(Collector("initiatives", "Initiatives, your actions and updates", initiatives),),
    deleted=deleted,
    unlink=unlink,
)
