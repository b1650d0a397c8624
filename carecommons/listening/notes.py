"""Who may see what a person said in a conversation, and when: the one rule for listening's pages,
forms and theme reads.

Whether a user reaches the conversation at all is access.py's (the lab's organisers). Within it,
what the person said (the notes, the people suggested, an issue's words) is shown only while both
hold: the notes were kept with their consent (`Conversation.notes_consented`), and their latest
decision about conversation notes is still a yes (people/consent.py: never asked is not a yes).
Checked when the page is read, so a withdrawal hides the words at once, before the next save
removes them.
"""

from django.db.models import Exists

from carecommons.listening.models import Conversation
from carecommons.people.consent import consented, decision, said_yes
from carecommons.people.models import Consent, ConsentPurpose, Person


def notes_allowed(person: Person) -> bool:
    """May notes of this person's conversations be kept and shown now?"""
    return said_yes(decision(person, ConsentPurpose.CONVERSATION))


def notes_shown_with(conversation: Conversation, latest: Consent | None) -> bool:
    """The rule, with the person's latest decision about conversation notes already loaded."""
    return conversation.notes_consented and said_yes(latest)


def notes_shown(conversation: Conversation) -> bool:
    return notes_shown_with(conversation, decision(conversation.person, ConsentPurpose.CONVERSATION))


def words_kept(of: str = "conversation__person") -> Exists:
    """For an Issue query (or another naming a person through `of`): does the person still agree
    to notes of their conversations?"""
    return consented(ConsentPurpose.CONVERSATION, of=of)
