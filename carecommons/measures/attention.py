"""Home page items: questionnaires waiting for a participant, alerts waiting for a follow-up."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.lib.attention import Item, Provider
from carecommons.measures.access import alerts_visible_to, invitation_token
from carecommons.measures.models import Invitation, Response, SafeguardingAlert
from carecommons.people.access import own_person
from carecommons.people.models import Person


def questionnaire_items(user: User) -> list[Item]:
    person = own_person(user)
    if person is None:
        return []
    now = timezone.now()
    waiting = Invitation.objects.usable(now).filter(person=person).select_related("wave", "cohort")
    return [*waiting_items(waiting[:3]), *results_items(person)]


def results_items(person: Person) -> list[Item]:
    if not Response.objects.submitted().filter(person=person).exists():
        return []
    return [
        Item(
            "Your questionnaire results",
            "Your scores over time, with a few words about what they mean.",
            reverse("measures:my_progress"),
            "See your questionnaire results",
        )
    ]


def waiting_items(waiting: Iterable[Invitation]) -> list[Item]:
    return [
        Item(
            f"Questionnaires to answer: {invitation.wave.label.lower()}",
            f"For {invitation.cohort.name}. The link works until "
            f"{invitation.last_day:%A %d %B}. You can save and come back later.",
            reverse("measures:answer_start", args=[invitation.uuid, invitation_token(invitation)]),
            "Answer the questionnaires",
        )
        for invitation in waiting
    ]


def alert_items(user: User) -> list[Item]:
    now = timezone.now()
    items = []
    for alert in alerts_visible_to(user).open().select_related("cohort").order_by("due_at")[:5]:
        due = timezone.localtime(alert.due_at)
        overdue = alert.due_at <= now
        items.append(
            Item(
                "Safeguarding follow-up overdue" if overdue else "Safeguarding follow-up needed",
                f"Someone in {alert.cohort.name} needs a person to get in touch. "
                f"{'It was due' if overdue else 'Log a contact'} by {due:%A %d %B, %H:%M}.",
                reverse("measures:alert_detail", args=[alert.uuid]),
                "Open the alert",
            )
        )
    return items


def sees_safeguarding(user: User) -> bool:
    """Who has the Safeguarding page (and its menu link): convenors, facilitators and named leads,
    even before any alert. Everyone else sees no trace that alerts exist."""
    if not user.is_authenticated:
        return False
    return user.has_role(Role.CONVENOR, Role.FACILITATOR) or safeguarding_staff(user).exists()


def safeguarding_staff(user: User) -> QuerySet[Person]:
    """The user's person if a named safeguarding lead or a facilitator of a cohort; the site roles
    that see alerts by themselves are asked in `sees_safeguarding`."""
    staff = Q(safeguarding_lead_for__isnull=False) | Q(facilitator_links__isnull=False)
    return Person.objects.filter(staff, user=user)


def open_alerts(user: User) -> QuerySet[SafeguardingAlert]:
    return alerts_visible_to(user).open()


def own_questionnaires(user: User) -> QuerySet[Person]:
    """The user's person, if they have questionnaires to answer or results to see."""
    waiting = Invitation.objects.usable(timezone.now()).filter(person=OuterRef("pk"))
    results = Response.objects.submitted().filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(waiting) | Exists(results), user=user)


ATTENTION = [
    Provider("safeguarding_alerts", alert_items, open_alerts),
    Provider("questionnaires", questionnaire_items, own_questionnaires),
]
