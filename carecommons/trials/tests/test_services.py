"""The trial's writes: allocation only when someone may be allocated, once and for good; the lists
kept apart; the design frozen once it counts; the plan fingerprinted and every later change kept."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from carecommons.accounts.models import User
from carecommons.people.erasure import erase_person
from carecommons.people.own_data import collect
from carecommons.trials import flow, services
from carecommons.trials.models import Allocation, ListName, PlanChange, TrialParticipant
from carecommons.trials.tests.factories import (
    allocated,
    answer_baseline,
    applicant,
    design_for,
    give_research_consent,
    go_live,
    make_trial,
    ready_participant,
    screen,
    trial_cohort,
)

pytestmark = pytest.mark.django_db


def test_allocation_waits_for_eligibility_research_consent_and_a_baseline(
    evaluator: User, convenor: User
) -> None:
    trial = make_trial(evaluator)
    cohort = trial_cohort(trial)
    person = applicant(cohort)
    participant = screen(trial, convenor, person, cohort)
    with pytest.raises(ValidationError, match="consent to research"):
        services.allocate(participant=participant, by=convenor)
    give_research_consent(person)
    with pytest.raises(ValidationError, match="baseline questionnaire"):
        services.allocate(participant=participant, by=convenor)
    answer_baseline(trial, person, cohort)
    allocation = services.allocate(participant=participant, by=convenor)
    assert allocation.arm.trial == trial and allocation.slot == 0


def test_someone_not_found_eligible_is_never_allocated(evaluator: User, convenor: User) -> None:
    trial = make_trial(evaluator)
    cohort = trial_cohort(trial)
    person = applicant(cohort)
    participant = screen(trial, convenor, person, cohort, eligible=False)
    give_research_consent(person)
    answer_baseline(trial, person, cohort)
    with pytest.raises(ValidationError, match="not found eligible"):
        services.allocate(participant=participant, by=convenor)
    assert not Allocation.objects.exists()


def test_asking_twice_to_allocate_returns_the_first_allocation(evaluator: User, convenor: User) -> None:
    trial = make_trial(evaluator)
    participant = ready_participant(trial, convenor, trial_cohort(trial))
    first = services.allocate(participant=participant, by=convenor)
    again = services.allocate(participant=participant, by=convenor)
    assert again.pk == first.pk and Allocation.objects.count() == 1


def test_the_database_refuses_to_change_an_allocation(evaluator: User, convenor: User) -> None:
    trial = make_trial(evaluator)
    allocation = allocated(trial, convenor, trial_cohort(trial))
    other = next(arm for arm in trial.arms.all() if arm.pk != allocation.arm_id)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE trials_allocation SET arm_id = %s WHERE id = %s", [other.pk, allocation.pk])
    assert Allocation.objects.get(pk=allocation.pk).arm_id == allocation.arm_id


def test_the_code_refuses_to_change_an_allocation_or_delete_a_live_one(
    evaluator: User, convenor: User
) -> None:
    trial = make_trial(evaluator)
    go_live(trial, evaluator)
    allocation = allocated(trial, convenor, trial_cohort(trial))
    assert allocation.list_name == ListName.LIVE
    with pytest.raises(ValueError, match="cannot be changed"):
        allocation.save()
    with pytest.raises(ValueError, match="cannot be changed"):
        Allocation.objects.filter(pk=allocation.pk).update(slot=5)
    with pytest.raises(ValueError, match="cannot be deleted"):
        allocation.delete()
    with pytest.raises(ValueError, match="cannot be deleted"):
        Allocation.objects.filter(trial=trial).delete()
    assert Allocation.objects.filter(pk=allocation.pk, slot=0).exists()


def test_clearing_the_test_list_leaves_the_live_list_untouched(evaluator: User, convenor: User) -> None:
    trial = make_trial(evaluator)
    cohort = trial_cohort(trial)
    allocated(trial, convenor, cohort, name="Tess")
    go_live(trial, evaluator)
    live = allocated(trial, convenor, cohort, name="Liv")
    assert services.clear_test_list(trial=trial, by=evaluator) == 1
    assert list(Allocation.objects.all()) == [live]
    assert list(TrialParticipant.objects.values_list("list_name", flat=True)) == [ListName.LIVE]


def test_the_live_list_starts_its_sequences_afresh(evaluator: User, convenor: User) -> None:
    trial = make_trial(evaluator)
    cohort = trial_cohort(trial)
    test = allocated(trial, convenor, cohort, name="Tess")
    go_live(trial, evaluator)
    live = allocated(trial, convenor, cohort, name="Tess")
    assert (test.list_name, test.slot) == (ListName.TEST, 0)
    assert (live.list_name, live.slot) == (ListName.LIVE, 0)


def test_the_design_is_frozen_once_the_live_list_opens(evaluator: User) -> None:
    trial = make_trial(evaluator)
    changed = design_for(trial.programme, evaluator, title="A new title")
    services.change_design(trial=trial, by=evaluator, design=changed)
    go_live(trial, evaluator)
    with pytest.raises(ValidationError, match="fixed once the live list opens"):
        services.change_design(trial=trial, by=evaluator, design=design_for(trial.programme, evaluator))
    trial.refresh_from_db()
    assert trial.title == "A new title"


def test_the_design_waits_for_the_test_list_to_be_cleared(evaluator: User, convenor: User) -> None:
    trial = make_trial(evaluator)
    allocated(trial, convenor, trial_cohort(trial))
    with pytest.raises(ValidationError, match="Clear the test list"):
        services.change_design(trial=trial, by=evaluator, design=design_for(trial.programme, evaluator))


def test_locking_the_plan_keeps_its_fingerprint_and_time_and_freezes_the_design(evaluator: User) -> None:
    trial = make_trial(evaluator)
    services.lock_plan(trial=trial, by=evaluator)
    trial.refresh_from_db()
    assert trial.sap_locked_at is not None and trial.sap_locked_by == evaluator
    assert trial.sap_hash == services.plan_hash(trial) and len(trial.sap_hash) == 64
    locked_at = trial.sap_locked_at
    services.lock_plan(trial=trial, by=evaluator)
    trial.refresh_from_db()
    assert trial.sap_locked_at == locked_at
    with pytest.raises(ValidationError, match="plan is locked"):
        services.change_design(trial=trial, by=evaluator, design=design_for(trial.programme, evaluator))


def test_a_plan_with_nothing_written_cannot_be_locked(evaluator: User) -> None:
    trial = make_trial(evaluator, plan={})
    with pytest.raises(ValidationError, match="Fill in the plan"):
        services.lock_plan(trial=trial, by=evaluator)


def test_a_change_after_the_lock_needs_a_reason_and_is_recorded(evaluator: User) -> None:
    trial = make_trial(evaluator)
    services.lock_plan(trial=trial, by=evaluator)
    before = trial.sap_primary_analysis
    new = {"sap_primary_analysis": "ANCOVA adjusted for baseline, site and cohort size."}
    with pytest.raises(ValidationError) as refused:
        services.change_plan(trial=trial, by=evaluator, plan=new, reason="  ")
    assert "reason" in refused.value.message_dict
    assert not PlanChange.objects.exists()
    services.change_plan(trial=trial, by=evaluator, plan=new, reason="Cohorts differ in size.")
    [change] = PlanChange.objects.all()
    assert (change.field, change.before, change.after) == (
        "sap_primary_analysis",
        before,
        new["sap_primary_analysis"],
    )
    assert change.reason == "Cohorts differ in size." and change.changed_by == evaluator


def test_the_fingerprint_changes_when_the_plan_changes(evaluator: User) -> None:
    trial = make_trial(evaluator)
    services.lock_plan(trial=trial, by=evaluator)
    trial.refresh_from_db()
    locked = trial.sap_hash
    assert services.plan_hash(trial) == locked
    services.change_plan(trial=trial, by=evaluator, plan={"sap_other": "One more look."}, reason="Asked for.")
    trial.refresh_from_db()
    assert services.plan_hash(trial) != locked
    assert trial.sap_hash == locked  # the fingerprint at the lock is kept; the report compares the two


def test_changes_to_a_draft_plan_are_not_deviations(evaluator: User) -> None:
    trial = make_trial(evaluator)
    services.change_plan(trial=trial, by=evaluator, plan={"sap_other": "Draft."})
    assert not PlanChange.objects.exists()


def test_erasing_someone_keeps_their_place_counted_without_them(evaluator: User, convenor: User) -> None:
    trial = make_trial(evaluator)
    go_live(trial, evaluator)
    allocation = allocated(trial, convenor, trial_cohort(trial), name="Erin")
    place = allocation.participant
    assert place is not None and place.person is not None
    person = place.person
    assert collect(person).section("trials").rows[0]["arm"] == allocation.arm.name
    erase_person(person=person, by=None, reason="They asked on 3 May.")
    participant = TrialParticipant.objects.get(pk=place.pk)
    assert participant.person is None and participant.allocation == allocation
    shown = flow.flow_for(trial, blinded=False)
    assert shown.randomised == 1
    assert [arm.allocated for arm in shown.arms if arm.label == allocation.arm.name] == [1]
