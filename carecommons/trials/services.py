"""Every write to a trial: its design, the analysis plan and its lock, screening, allocation,
discontinuation, and the report request. Each is one audited transaction."""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.measures.models import Response, Wave
from carecommons.people.consent import has_consented
from carecommons.people.models import ConsentPurpose, Person
from carecommons.programmes.models import Cohort, EnrolmentStatus, Programme
from carecommons.trials import randomisation
from carecommons.trials import report as builder
from carecommons.trials.models import (
    SAP_FIELDS,
    Allocation,
    AllocationUnit,
    EligibilityQuestion,
    ListName,
    Method,
    PlanChange,
    ReportStatus,
    Screening,
    Trial,
    TrialArm,
    TrialFactor,
    TrialOutcome,
    TrialParticipant,
    TrialReport,
    TrialStatus,
)

DECLINED_REASON = "Declined to take part"


@dataclass(frozen=True)
class ArmSpec:
    name: str
    ratio: int
    is_treatment: bool


@dataclass(frozen=True)
class FactorSpec:
    name: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class OutcomeSpec:
    instrument: str
    wave: Wave
    primary: bool


@dataclass(frozen=True)
class QuestionSpec:
    text: str
    eligible_answer: bool


@dataclass(frozen=True)
class Design:
    programme: Programme
    title: str
    registration: str
    unit: str
    method: str
    block_multiples: tuple[int, ...]
    best_probability: float
    baseline_wave: Wave
    received_min_sessions: int
    statistician: User
    arms: tuple[ArmSpec, ...]
    factors: tuple[FactorSpec, ...]
    outcomes: tuple[OutcomeSpec, ...]
    questions: tuple[QuestionSpec, ...]


def design_errors(design: Design) -> dict[str, str]:
    """What is wrong with a design, by the form field it is about."""
    errors: dict[str, str] = {}
    if len(design.arms) < 2:
        errors["arms"] = "A trial needs at least two arms."
    elif sum(arm.is_treatment for arm in design.arms) != 1:
        errors["arms"] = "Mark exactly one arm as the programme arm (with a *)."
    elif len({arm.name.casefold() for arm in design.arms}) != len(design.arms):
        errors["arms"] = "Give each arm a different name."
    if len({f.name.casefold() for f in design.factors}) != len(design.factors):
        errors["factors"] = "Give each stratification factor a different name."
    if any(len(f.levels) < 2 for f in design.factors):
        errors["factors"] = "Each stratification factor needs at least two levels."
    if sum(o.primary for o in design.outcomes) != 1:
        errors["primary_instrument"] = "Choose one primary outcome."
    if any(o.wave.programme_id != design.programme.pk for o in design.outcomes):
        errors["secondary_outcomes"] = "Outcomes must be waves of the trial's programme."
    if design.baseline_wave.programme_id != design.programme.pk:
        errors["baseline_wave"] = "The baseline must be a wave of the trial's programme."
    elif any(o.wave.pk == design.baseline_wave.pk for o in design.outcomes):
        errors["primary_wave"] = "An outcome is measured after the baseline, not at it."
    if design.method == Method.MINIMISATION and not design.factors:
        errors["factors"] = "Minimisation balances factors: name at least one."
    if design.method == Method.BLOCKS and not design.block_multiples:
        errors["block_multiples"] = "Give at least one block size."
    if not design.statistician.has_role("evaluator"):
        errors["statistician"] = "The statistician must hold the evaluator role."
    return errors


def _check(design: Design) -> None:
    errors = design_errors(design)
    if errors:
        raise ValidationError(errors)


def _write_rows(trial: Trial, design: Design) -> None:
    secret = bytes.fromhex(trial.secret)
    labels = randomisation.blind_labels(secret, [str(i) for i in range(len(design.arms))])
    TrialArm.objects.bulk_create(
        TrialArm(
            trial=trial,
            position=i,
            name=arm.name,
            ratio=arm.ratio,
            is_treatment=arm.is_treatment,
            blind_label=labels[str(i)],
        )
        for i, arm in enumerate(design.arms)
    )
    TrialFactor.objects.bulk_create(
        TrialFactor(trial=trial, position=i, name=f.name, levels=list(f.levels))
        for i, f in enumerate(design.factors)
    )
    TrialOutcome.objects.bulk_create(
        TrialOutcome(trial=trial, position=i, instrument=o.instrument, wave=o.wave, primary=o.primary)
        for i, o in enumerate(design.outcomes)
    )
    EligibilityQuestion.objects.bulk_create(
        EligibilityQuestion(trial=trial, position=i, text=q.text, eligible_answer=q.eligible_answer)
        for i, q in enumerate(design.questions)
    )


@transaction.atomic
def create_trial(*, by: User, design: Design, plan: Mapping[str, str], secret: bytes | None = None) -> Trial:
    """`secret` is for generated trials only (the same seed, the same story); a real trial's is new."""
    _check(design)
    trial = Trial.objects.create(
        programme=design.programme,
        title=design.title,
        registration=design.registration,
        unit=design.unit,
        method=design.method,
        block_multiples=list(design.block_multiples),
        best_probability=design.best_probability,
        baseline_wave=design.baseline_wave,
        received_min_sessions=design.received_min_sessions,
        statistician=design.statistician,
        created_by=by,
        secret=(secret or randomisation.new_secret()).hex(),
        **{name: plan.get(name, "") for name, _ in SAP_FIELDS},
    )
    _write_rows(trial, design)
    record_event(actor=by, action="trial.created", target=trial)
    return trial


def _locked(trial: Trial) -> Trial:
    return Trial.objects.select_for_update().get(pk=trial.pk)


@transaction.atomic
def change_design(*, trial: Trial, by: User, design: Design) -> Trial:
    """Only while setting up and before anyone is allocated: the rows are written afresh."""
    trial = _locked(trial)
    if trial.status != TrialStatus.SETTING_UP or trial.sap_locked:
        raise ValidationError("The design is fixed once the live list opens or the plan is locked.")
    if trial.allocations.exists():
        raise ValidationError(
            "Clear the test list before changing the design: test allocations use these arms."
        )
    _check(design)
    for related in (trial.arms, trial.factors, trial.outcomes, trial.eligibility_questions):
        related.all().delete()
    for name in ("title", "registration", "unit", "method", "best_probability", "baseline_wave"):
        setattr(trial, name, getattr(design, name))
    trial.block_multiples = list(design.block_multiples)
    trial.received_min_sessions = design.received_min_sessions
    trial.statistician = design.statistician
    trial.save()
    _write_rows(trial, design)
    record_event(actor=by, action="trial.design_changed", target=trial)
    return trial


def plan_document(trial: Trial) -> str:
    """The plan as locked: the SAP's fields and the design they refer to, as canonical JSON."""
    return json.dumps(
        {
            "title": trial.title,
            "registration": trial.registration,
            "unit": trial.unit,
            "method": trial.method,
            "block_multiples": trial.block_multiples,
            "baseline_wave": str(trial.baseline_wave.uuid),
            "arms": [[a.name, a.ratio, a.is_treatment] for a in trial.arms.all()],
            "factors": [[f.name, f.levels] for f in trial.factors.all()],
            "outcomes": [
                [o.instrument, str(o.wave.uuid), o.primary] for o in trial.outcomes.select_related("wave")
            ],
            "eligibility": [[q.text, q.eligible_answer] for q in trial.eligibility_questions.all()],
            "received_min_sessions": trial.received_min_sessions,
            "plan": {name: getattr(trial, name) for name, _ in SAP_FIELDS},
        },
        sort_keys=True,
        ensure_ascii=False,
    )


def plan_hash(trial: Trial) -> str:
    return hashlib.sha256(plan_document(trial).encode()).hexdigest()


@transaction.atomic
def change_plan(
    *, trial: Trial, by: User, plan: Mapping[str, str], reason: str = "", now: datetime | None = None
) -> Trial:
    """Before the lock the plan is a draft; after it every changed field is recorded with the reason."""
    trial = _locked(trial)
    now = now or timezone.now()
    changed = [name for name, _ in SAP_FIELDS if name in plan and plan[name] != getattr(trial, name)]
    if trial.sap_locked and changed and not reason.strip():
        raise ValidationError({"reason": "Say why the locked plan changes: the report shows it."})
    for name in changed:
        if trial.sap_locked:
            PlanChange.objects.create(
                trial=trial,
                field=name,
                before=getattr(trial, name),
                after=plan[name],
                reason=reason.strip(),
                changed_at=now,
                changed_by=by,
            )
        setattr(trial, name, plan[name])
    if changed:
        trial.save()
        record_event(actor=by, action="trial.plan_changed", target=trial, detail={"fields": changed})
    return trial


@transaction.atomic
def lock_plan(*, trial: Trial, by: User, now: datetime | None = None) -> Trial:
    trial = _locked(trial)
    if trial.sap_locked:
        return trial
    missing = [label for name, label in SAP_FIELDS[:3] if not getattr(trial, name).strip()]
    if missing:
        raise ValidationError(f"Fill in the plan before locking it: {', '.join(missing)}.")
    trial.sap_hash = plan_hash(trial)
    trial.sap_locked_at = now or timezone.now()
    trial.sap_locked_by = by
    trial.save(update_fields=["sap_hash", "sap_locked_at", "sap_locked_by", "updated_at"])
    record_event(actor=by, action="trial.plan_locked", target=trial, detail={"hash": trial.sap_hash})
    return trial


@transaction.atomic
def open_live_list(*, trial: Trial, by: User, now: datetime | None = None) -> Trial:
    trial = _locked(trial)
    if trial.status != TrialStatus.SETTING_UP:
        return trial
    trial.status = TrialStatus.RECRUITING
    trial.live_from = now or timezone.now()
    trial.save(update_fields=["status", "live_from", "updated_at"])
    record_event(actor=by, action="trial.live_list_opened", target=trial)
    return trial


@transaction.atomic
def close_recruitment(*, trial: Trial, by: User) -> Trial:
    trial = _locked(trial)
    if trial.status == TrialStatus.RECRUITING:
        trial.status = TrialStatus.CLOSED
        trial.save(update_fields=["status", "updated_at"])
        record_event(actor=by, action="trial.recruitment_closed", target=trial)
    return trial


@transaction.atomic
def clear_test_list(*, trial: Trial, by: User) -> int:
    trial = _locked(trial)
    allocations = Allocation.objects.filter(trial=trial, list_name=ListName.TEST)
    count = allocations.count()
    allocations.delete()
    trial.participants.on_list(ListName.TEST).delete()
    record_event(actor=by, action="trial.test_list_cleared", target=trial, detail={"allocations": count})
    return count


def screening_result(
    questions: Sequence[EligibilityQuestion], answers: Mapping[int, bool], *, declined: bool, other: str
) -> tuple[str, str]:
    if declined:
        return Screening.DECLINED, DECLINED_REASON
    failed = [q.text for q in questions if answers.get(q.pk) is not q.eligible_answer]
    if failed:
        return Screening.NOT_ELIGIBLE, "; ".join(failed)[:300]
    if other.strip():
        return Screening.OTHER, other.strip()[:300]
    return Screening.ELIGIBLE, ""


@transaction.atomic
def screen_person(
    *,
    trial: Trial,
    by: User,
    person: Person,
    cohort: Cohort,
    answers: Mapping[int, bool],
    levels: Mapping[int, str],
    declined: bool = False,
    other: str = "",
    now: datetime | None = None,
) -> TrialParticipant:
    trial = _locked(trial)
    if trial.status == TrialStatus.CLOSED:
        raise ValidationError("Recruitment to this trial has closed.")
    if cohort.programme_id != trial.programme_id:
        raise ValidationError({"cohort": "Choose a cohort of the trial's programme."})
    if not cohort.enrolments.filter(person=person).exclude(status=EnrolmentStatus.WITHDRAWN).exists():
        raise ValidationError({"person": "Only people who applied to or joined this cohort can be screened."})
    factors = list(trial.factors.all())
    if any(levels.get(f.pk) not in f.levels for f in factors):
        raise ValidationError({"levels": "Give a level for every stratification factor."})
    existing = trial.participants.filter(person=person, list_name=trial.current_list).first()
    if existing is not None:
        raise ValidationError({"person": "This person has already been screened for this trial."})
    questions = list(trial.eligibility_questions.all())
    screening, because = screening_result(questions, answers, declined=declined, other=other)
    participant = TrialParticipant.objects.create(
        trial=trial,
        person=person,
        cohort=cohort,
        list_name=trial.current_list,
        screening=screening,
        excluded_because=because,
        answers={str(k): v for k, v in answers.items()},
        levels={str(f.pk): levels[f.pk] for f in factors},
        screened_at=now or timezone.now(),
        screened_by=by,
    )
    record_event(actor=by, action="trial.screened", target=participant, detail={"screening": screening})
    return participant


def baseline_complete(participant: TrialParticipant) -> bool:
    primary = participant.trial.outcomes.filter(primary=True).first()
    if primary is None or participant.person_id is None:
        return False
    return (
        Response.objects.submitted_complete()
        .filter(
            person_id=participant.person_id,
            wave_id=participant.trial.baseline_wave_id,
            instrument=primary.instrument,
        )
        .exists()
    )


def allocation_blockers(participant: TrialParticipant) -> list[str]:
    """Why this person cannot be allocated yet, in words; empty when they can."""
    blockers = []
    if participant.screening != Screening.ELIGIBLE:
        blockers.append("They were not found eligible at screening.")
    if participant.person_id is None or not has_consented(participant.person_id, ConsentPurpose.RESEARCH):
        blockers.append("Their consent to research and evaluation is not recorded as given.")
    if not baseline_complete(participant):
        blockers.append("They have not completed the baseline questionnaire for the primary outcome.")
    if participant.trial.status == TrialStatus.CLOSED:
        blockers.append("Recruitment to this trial has closed.")
    return blockers


def stratum_key(trial: Trial, levels: Mapping[str, str]) -> str:
    if trial.method == Method.MINIMISATION:
        return ""
    return "|".join(f"{f.name}={levels.get(str(f.pk), '')}" for f in trial.factors.all())


def _arm_for(
    trial: Trial, *, list_name: str, stratum: str, levels: Mapping[str, str]
) -> tuple[TrialArm, int]:
    arms = list(trial.arms.all())
    names = [str(a.position) for a in arms]
    ratio = [a.ratio for a in arms]
    secret = bytes.fromhex(trial.secret)
    taken = Allocation.objects.filter(trial=trial, list_name=list_name, stratum=stratum)
    slot = taken.count()
    if trial.method == Method.MINIMISATION:
        history = [
            (str(position), unit_levels)
            for position, unit_levels in taken.order_by("slot").values_list("arm__position", "levels")
        ]
        chosen = randomisation.minimised_arm(
            secret,
            list_name=randomisation.list_name(list_name),
            slot=slot,
            arms=names,
            ratio=ratio,
            factors=dict(levels),
            history=history,
            best_probability=trial.best_probability,
        )
    else:
        chosen = randomisation.block_arm(
            secret,
            list_name=randomisation.list_name(list_name),
            stratum=stratum,
            slot=slot,
            arms=names,
            ratio=ratio,
            block_multiples=tuple(trial.block_multiples),
        )
    return arms[names.index(chosen)], slot


@transaction.atomic
def allocate(*, participant: TrialParticipant, by: User, now: datetime | None = None) -> Allocation:
    """Take the next slot of the participant's stratum, once. The trial row is locked, so two
    enrolments at the same moment take slots one after the other; asking again returns the
    allocation already made (a double click never allocates twice)."""
    trial = _locked(participant.trial)
    participant = TrialParticipant.objects.select_related("trial").get(pk=participant.pk)
    existing = Allocation.objects.filter(participant=participant).first()
    if existing is not None:
        return existing
    if trial.unit == AllocationUnit.COHORT:
        raise ValidationError("In this trial whole cohorts are allocated, not people.")
    blockers = allocation_blockers(participant)
    if blockers:
        raise ValidationError(blockers)
    stratum = stratum_key(trial, participant.levels)
    arm, slot = _arm_for(trial, list_name=participant.list_name, stratum=stratum, levels=participant.levels)
    allocation = Allocation.objects.create(
        trial=trial,
        list_name=participant.list_name,
        stratum=stratum,
        levels=participant.levels,
        slot=slot,
        arm=arm,
        participant=participant,
        allocated_at=now or timezone.now(),
        allocated_by=by,
    )
    record_event(
        actor=by,
        action="trial.allocated",
        target=participant,
        detail={"allocation": allocation.pk, "list": participant.list_name},
    )
    return allocation


@transaction.atomic
def allocate_cohort(
    *, trial: Trial, cohort: Cohort, levels: Mapping[str, str], by: User, now: datetime | None = None
) -> Allocation:
    """A cluster trial allocates a whole cohort, once its first eligible member could be allocated."""
    trial = _locked(trial)
    list_name = trial.current_list
    existing = Allocation.objects.filter(trial=trial, list_name=list_name, cohort=cohort).first()
    if existing is not None:
        return existing
    if trial.unit != AllocationUnit.COHORT:
        raise ValidationError("In this trial people are allocated one by one.")
    if trial.status == TrialStatus.CLOSED:
        raise ValidationError("Recruitment to this trial has closed.")
    ready = [
        p for p in trial.participants.on_list(list_name).filter(cohort=cohort) if not allocation_blockers(p)
    ]
    if not ready:
        raise ValidationError("Screen the cohort's members first: nobody in it can be allocated yet.")
    factors = list(trial.factors.all())
    if any(levels.get(str(f.pk)) not in f.levels for f in factors):
        raise ValidationError({"levels": "Give a level for every stratification factor."})
    stratum = stratum_key(trial, levels)
    arm, slot = _arm_for(trial, list_name=list_name, stratum=stratum, levels=levels)
    allocation = Allocation.objects.create(
        trial=trial,
        list_name=list_name,
        stratum=stratum,
        levels=dict(levels),
        slot=slot,
        arm=arm,
        cohort=cohort,
        allocated_at=now or timezone.now(),
        allocated_by=by,
    )
    record_event(
        actor=by, action="trial.cohort_allocated", target=trial, detail={"allocation": allocation.pk}
    )
    return allocation


@transaction.atomic
def discontinue(*, participant: TrialParticipant, by: User, on: date, because: str) -> TrialParticipant:
    participant = TrialParticipant.objects.select_for_update().get(pk=participant.pk)
    if not because.strip():
        raise ValidationError({"because": "Say why, in a few words: the report counts the reasons."})
    participant.discontinued_on = on
    participant.discontinued_because = because.strip()[:300]
    participant.save(update_fields=["discontinued_on", "discontinued_because", "updated_at"])
    record_event(actor=by, action="trial.discontinued", target=participant)
    return participant


@transaction.atomic
def request_report(*, trial: Trial, by: User) -> TrialReport:
    """Queue a report; while one is queued or being built, asking again returns it."""
    trial = _locked(trial)
    waiting = trial.reports.filter(status__in=["queued", "running"]).first()
    if waiting is not None:
        return waiting
    report = TrialReport.objects.create(trial=trial, requested_by=by, blinded=not trial.sap_locked)
    record_event(actor=by, action="trial.report_requested", target=report)
    from carecommons.trials.tasks import build_report

    build_report.enqueue(report.pk)
    report.refresh_from_db()  # a backend that runs tasks at once has built it already
    return report


def _report_progress(report_id: int, progress: int, step: str) -> None:
    """Progress is written at once (its own short write), so the page shows it while the build runs."""
    TrialReport.objects.filter(pk=report_id).update(progress=progress, step=step, updated_at=timezone.now())


def run_report(report_id: int) -> TrialReport:
    """What the worker does: build both versions of the report, or record plainly why it failed.
    A report already claimed by another run is left alone, so a retried task never builds twice."""
    claimed = TrialReport.objects.filter(pk=report_id, status=ReportStatus.QUEUED).update(
        status=ReportStatus.RUNNING, started_at=timezone.now(), progress=1, step="Starting"
    )
    report = TrialReport.objects.select_related("trial__programme", "trial__baseline_wave").get(pk=report_id)
    if not claimed:
        return report
    try:
        content = builder.compute(
            report.trial,
            blinded=report.blinded,
            progress=lambda n, step: _report_progress(report_id, n, step),
        )
        _report_progress(report_id, 85, "Writing the web pages")
        href = staticfiles_storage.url("css/report.css")
        html = builder.render(content, hidden=False, stylesheet_href=href)
        html_shared = builder.render(content, hidden=True, stylesheet_href=href)
        _report_progress(report_id, 90, "Making the PDFs")
        pdf = builder.pdf_of(builder.render(content, hidden=False, stylesheet_href=""))
        pdf_shared = builder.pdf_of(builder.render(content, hidden=True, stylesheet_href=""))
    except Exception as error:
        TrialReport.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        record_event(actor=None, action="trial.report_failed", target=report)
        raise
    with transaction.atomic():
        TrialReport.objects.filter(pk=report_id).update(
            status=ReportStatus.READY,
            progress=100,
            step="Done",
            html=html,
            html_shared=html_shared,
            pdf=pdf,
            pdf_shared=pdf_shared,
            finished_at=timezone.now(),
        )
        record_event(actor=report.requested_by, action="trial.report_built", target=report)
    report.refresh_from_db()
    return report
