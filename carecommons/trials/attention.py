"""For convenors: people screened eligible for a trial and not allocated yet (their consent or
baseline answers may still be missing; the person's page says which). One query."""

from django.db.models import Count, Q
from django.urls import reverse

from carecommons.accounts.models import Role, User
from carecommons.lib.attention import Item, Provider
from carecommons.lib.words import plural
from carecommons.trials.models import AllocationUnit, ListName, Screening, Trial, TrialStatus

CURRENT_LIST = Q(status=TrialStatus.SETTING_UP, participants__list_name=ListName.TEST) | Q(
    status=TrialStatus.RECRUITING, participants__list_name=ListName.LIVE
)


def waiting_to_allocate(user: User) -> list[Item]:
    if not user.is_authenticated or not user.has_role(Role.CONVENOR):
        return []
    waiting = CURRENT_LIST & Q(
        participants__screening=Screening.ELIGIBLE, participants__allocation__isnull=True
    )
    trials = (
        Trial.objects.filter(unit=AllocationUnit.PERSON)
        .annotate(waiting=Count("participants", filter=waiting))
        .filter(waiting__gt=0)
        .order_by("title", "id")
    )
    return [
        Item(
            f"Trial: {plural(trial.waiting, 'person', 'people')} to allocate",
            f"Screened eligible for “{trial.title}” and not allocated yet.",
            reverse("trials:participant_list", args=[trial.uuid]),
            f"People in “{trial.title}”",
        )
        for trial in trials
    ]


ATTENTION = [Provider("waiting_to_allocate", waiting_to_allocate)]
