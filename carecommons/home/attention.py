"""What each person should look at first when they open Care Commons."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.people.access import can_use_directory, own_person
from carecommons.people.consent import decided, decisions
from carecommons.people.models import ConsentPurpose, ErasureRequest, ErasureStatus, Person
from carecommons.programmes.access import cohorts_run_by, sessions_visible_to
from carecommons.programmes.models import Session


@dataclass(frozen=True)
class Item:
    title: str
    detail: str
    url: str
    link_text: str


def attention_for(user: User) -> list[Item]:
    from carecommons.assets.attention import suggestion_items
    from carecommons.expenses.attention import money_items
    from carecommons.listening.attention import follow_up_items
    from carecommons.measures.attention import alert_items, questionnaire_items
    from carecommons.people.erasure_attention import erasure_items

    items: list[Item] = alert_items(user)
    items += follow_up_items(user)
    items += suggestion_items(user)
    items += money_items(user)
    if can_use_directory(user):
        items += directory_items()
    items += erasure_items(user)
    person = own_person(user)  # the menu asked already: no second query
    if person is not None:
        items += questionnaire_items(person)
        items += own_record_items(person)
    items += session_items(user)
    items += account_items(user)
    return items


def session_items(user: User) -> list[Item]:
    now = timezone.now()
    items = []
    runs = cohorts_run_by(user).values("id")
    recent = Session.objects.filter(
        cohort__in=runs, ends_at__lt=now, ends_at__gte=now - timedelta(days=30), cancelled_at__isnull=True
    )
    for session in recent.filter(attendances__isnull=True).select_related("cohort")[:3]:
        items.append(
            Item(
                f"Register not taken: {session.title}",
                f"{session.cohort.name}, {timezone.localtime(session.starts_at):%a %d %b}.",
                reverse("programmes:register", args=[session.uuid]),
                "Take the register",
            )
        )
    for session in recent.filter(report_completed_at__isnull=True, attendances__isnull=False).distinct()[:3]:
        items.append(
            Item(
                f"Closing report to finish: {session.title}",
                "Who came, what happened, reflections and follow-ups.",
                reverse("programmes:closing_report", args=[session.uuid]),
                "Write the closing report",
            )
        )
    upcoming = sessions_visible_to(user).upcoming().filter(starts_at__lte=now + timedelta(days=14))
    for session in upcoming.select_related("cohort")[:3]:
        items.append(
            Item(
                f"Coming up: {session.title}",
                f"{timezone.localtime(session.starts_at):%A %d %B, %H:%M} · {session.get_mode_display()}.",
                reverse("programmes:session_detail", args=[session.uuid]),
                "See the session",
            )
        )
    return items


def directory_items() -> list[Item]:
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
    # Erased people have no consents left and must never be contacted: they are not "undecided".
    erased = ErasureRequest.objects.filter(person=OuterRef("pk"), status=ErasureStatus.ERASED)
    undecided = (
        Person.objects.exclude(decided(ConsentPurpose.CONTACT, of="pk")).exclude(Exists(erased)).count()
    )
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


def own_record_items(person: Person) -> list[Item]:
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


def account_items(user: User) -> list[Item]:
    if not user.needs_two_factor or user.is_demo:
        return []
    codes = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    if codes is None:
        return [
            Item(
                "Recovery codes",
                "Make recovery codes so you can still sign in if you lose your phone.",
                reverse("mfa_generate_recovery_codes"),
                "Make recovery codes",
            )
        ]
    return []
