"""Home page items from the directory: possible duplicates and missing contact decisions (for those
who use it), erasure requests waiting for a convenor, and a person's own record and choices."""

from django.db.models import QuerySet
from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.lib.attention import Item, Provider
from carecommons.people.access import can_manage_accounts, can_use_directory, own_person
from carecommons.people.consent import decisions
from carecommons.people.models import Consent, ConsentPurpose, ErasureRequest, ErasureStatus, Person


def decided_or_erased(purpose: str) -> QuerySet[Consent, int]:
    """The people asked about `purpose`, and the erased (who have no consents left and must never
    be contacted: they are not "undecided"), each once. Counting these and taking them from
    everyone reads only the consents about `purpose`, where asking every person in turn whether
    they have one took 100 ms at 150,000 people."""
    asked = Consent.objects.filter(purpose=purpose).order_by().values_list("person_id", flat=True)
    erased = (
        ErasureRequest.objects.filter(status=ErasureStatus.ERASED)
        .order_by()
        .values_list("person_id", flat=True)
    )
    return asked.union(erased)


def directory_items(user: User) -> list[Item]:
    if not can_use_directory(user):
        return []
    items = []
    shared_emails = Person.objects.shared_emails().count()
    if shared_emails:
        items.append(
            Item(
                "Possible duplicate people",
                f"{shared_emails} email address{'es are' if shared_emails != 1 else ' is'} shared by "
                "more than one person. Merging keeps everything attached to both.",
                reverse("people:duplicate_list"),
                "Review possible duplicates",
            )
        )
    undecided = Person.objects.count() - decided_or_erased(ConsentPurpose.CONTACT).count()
    if undecided:
        items.append(
            Item(
                "Contact consent not recorded",
                f"{undecided} {'people have' if undecided != 1 else 'person has'} no decision "
                "recorded about being contacted. Do not contact them until they have said yes.",
                reverse("people:person_list"),
                "Open the directory",
            )
        )
    return items


def erasure_items(user: User) -> list[Item]:
    if not can_manage_accounts(user):
        return []
    waiting = ErasureRequest.objects.filter(status=ErasureStatus.REQUESTED).count()
    if not waiting:
        return []
    return [
        Item(
            "Erasure requests waiting",
            f"{waiting} {'people have' if waiting != 1 else 'person has'} asked for their data to be erased.",
            reverse("people:erasure_list"),
            "See the requests",
        )
    ]


def own_record_items(user: User) -> list[Item]:
    person = own_person(user)  # the menu asked already: no second query
    if person is None:
        return []
    asked = decisions(person)
    everyone_asked = (ConsentPurpose.CONTACT, ConsentPurpose.PROGRAMME, ConsentPurpose.RESEARCH)
    missing = [purpose.label for purpose in everyone_asked if purpose not in asked]
    url = reverse("people:person_detail", args=[person.uuid])
    if missing:
        return [
            Item(
                "Your consent choices",
                "You have not told us yet about: " + ", ".join(m.lower() for m in missing) + ".",
                url,
                "See your details and choices",
            )
        ]
    return [Item("Your details", "See what we hold about you and who has seen it.", url, "Open your record")]


def erasures_waiting(user: User) -> QuerySet[ErasureRequest]:
    if not can_manage_accounts(user):
        return ErasureRequest.objects.none()
    return ErasureRequest.objects.filter(status=ErasureStatus.REQUESTED)


ATTENTION = [
    Provider("directory", directory_items),
    Provider("erasure_requests", erasure_items, erasures_waiting),
    Provider("own_record", own_record_items),
]
