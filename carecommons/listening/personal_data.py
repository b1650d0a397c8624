"""What listening holds about a person: conversations about them, conversations they were suggested
in; conversations they held or followed up are other people's records (decision 0026)."""

from typing import Any

from django.db.models import Q, QuerySet

from carecommons.listening.models import Conversation
from carecommons.people.holdings import Collector, Erasing, Holding, Kept, Row, row
from carecommons.people.models import Person


def conversations(person: Person) -> list[Row]:
    about = (
        Conversation.objects.filter(person=person)
        .select_related("lab", "engagement", "listener")
        .prefetch_related("issues__themes")
    )
    rows = [
        row(
            care_lab=c.lab.name,
            held_on=c.held_on,
            how=c.get_method_display(),
            listener=c.listener.display_name,
            notes_kept_with_consent=c.notes_consented,
            story=c.story,
            cares_about=c.cares_about,
            gifts=c.gifts,
            concerns=c.concerns,
            suggested_contacts=c.suggested_contacts,
            follow_up=c.follow_up,
            follow_up_due=c.follow_up_due,
            engagement=c.engagement.name if c.engagement else "",
            issues=[
                row(title=i.title, words=i.words, themes=sorted(t.name for t in i.themes.all()))
                for i in c.issues.all()
            ],
        )
        for c in about
    ]
    suggested = [
        row(suggested_as_someone_to_talk_to_in=c.lab.name, on=c.held_on)
        for c in person.suggested_in_conversations.select_related("lab")
    ]
    return rows + suggested


def deleted(person: Person) -> list[tuple[str, QuerySet[Any]]]:
    return [("conversations about you, with their notes", Conversation.objects.filter(person=person))]


def unlink(person: Person, erasing: Erasing) -> None:
    Conversation.suggested_people.through.objects.filter(person_id=person.pk).delete()


LISTENER_REASON = (
    "Conversations you held with other people are their records; you are named by the pseudonym."
)

PERSONAL_DATA = Holding(
    covers=(
        "conversation.person",
        "conversation.listener",
        "conversation.introduced_by",
        "conversation.follow_up_owner",
        "conversation.suggested_people",
    ),
    sections=(Collector("conversations", "Conversations about you", conversations),),
    audited=((Conversation, "person"),),
    deleted=deleted,
    kept=(
        Kept(
            "listened",
            "conversations you listened in",
            lambda person: Conversation.objects.filter(listener=person).count(),
            LISTENER_REASON,
        ),
        Kept(
            "introductions",
            "introductions and follow-ups in other people's conversations",
            lambda person: Conversation.objects.filter(
                Q(introduced_by=person) | Q(follow_up_owner=person)
            ).count(),
            LISTENER_REASON,
        ),
    ),
    unlink=unlink,
)
