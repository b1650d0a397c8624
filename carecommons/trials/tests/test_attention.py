from django.urls import reverse

from carecommons.accounts.models import User
from carecommons.home.attention import attention_for
from carecommons.trials import services
from carecommons.trials.tests.factories import applicant, make_trial, ready_participant, screen, trial_cohort


def titles(user: User) -> list[str]:
    return [item.title for item in attention_for(user) if item.title.startswith("Trial:")]


def test_convenors_see_people_screened_eligible_and_not_yet_allocated(evaluator: User, convenor: User):
    trial = make_trial(evaluator)
    cohort = trial_cohort(trial)
    waiting = ready_participant(trial, convenor, cohort, name="Ready")
    screen(trial, convenor, applicant(cohort, "Unready"), cohort)
    screen(trial, convenor, applicant(cohort, "Excluded"), cohort, eligible=False)
    assert titles(convenor) == ["Trial: 2 people to allocate"]
    assert titles(evaluator) == []
    services.allocate(participant=waiting, by=convenor)
    assert titles(convenor) == ["Trial: 1 person to allocate"]
    item = next(i for i in attention_for(convenor) if i.title.startswith("Trial:"))
    assert item.url == reverse("trials:participant_list", args=[trial.uuid])


def test_the_test_list_stops_counting_once_the_live_list_opens(evaluator: User, convenor: User):
    trial = make_trial(evaluator)
    screen(trial, convenor, applicant(trial_cohort(trial), "Tester"), trial.programme.cohorts.get())
    assert titles(convenor) == ["Trial: 1 person to allocate"]
    services.open_live_list(trial=trial, by=evaluator)
    assert titles(convenor) == []
