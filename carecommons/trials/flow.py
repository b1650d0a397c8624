"""The CONSORT flow of a trial's live list, counted from its rows (trials/data.py) and drawn by
the pure trials/consort.py. Definitions (docs/guide/evaluation-report.md):

- assessed: everyone screened on the live list; excluded: not eligible, declined, other reasons,
  and eligible people never allocated (their consent or baseline never came);
- received: the programme arm's people who attended at least the trial's number of sessions; a
  comparison arm receives its allocation (waiting) by being allocated; while the evaluator is
  blinded every arm is shown as having received its allocation, since counting attendance in one
  arm only would tell which letter is the programme;
- at each outcome wave: discontinued (the reasons recorded) and lost to follow-up (no complete
  answers to the primary questionnaire at that wave, among those whose consent to research is
  current); a withdrawal of that consent is counted once, under analysis, because the flow knows
  that it happened, not at which wave;
- analysed: those with the primary outcome (complete cases); the rest are counted by reason.
"""

from collections import Counter
from collections.abc import Sequence

from django.utils.safestring import SafeString

from carecommons.measures.engine.definitions import get_instrument
from carecommons.measures.models import Wave
from carecommons.trials import consort
from carecommons.trials.consort import ArmFlow, ConsortRow, Flow, FollowUp, Reason
from carecommons.trials.data import Screened, TrialRows, trial_rows
from carecommons.trials.models import Screening, Trial, TrialArm

WITHDREW = "Withdrew consent to research"
NEVER_ALLOCATED = "Eligible, but consent or baseline answers never came"
SCREENING_REASONS = {
    Screening.NOT_ELIGIBLE: "Did not meet the inclusion criteria",
    Screening.DECLINED: "Declined to take part",
    Screening.OTHER: "Other reasons",
}


def arm_label(arm: TrialArm, *, blinded: bool) -> str:
    return f"Arm {arm.blind_label}" if blinded else arm.name


def reasons(counter: Counter[str]) -> list[Reason]:
    return [
        Reason(text, count)
        for text, count in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        if count
    ]


def wave_words(wave: Wave) -> str:
    if wave.kind == "baseline":
        return "Baseline"
    if wave.weeks_after_end == 0:
        return "End of the course" if wave.kind == "end" else wave.get_kind_display()
    weeks = "1 week" if wave.weeks_after_end == 1 else f"{wave.weeks_after_end} weeks"
    return f"{wave.get_kind_display()}, {weeks} after the course"


def flow_from(rows: TrialRows, *, blinded: bool) -> Flow:
    trial = rows.trial
    primary = next(o for o in trial.outcomes.all() if o.primary)
    outcome_waves = [w for w in rows.waves if w.pk != trial.baseline_wave_id]
    primary_wave = next(w for w in rows.waves if w.pk == primary.wave_id)
    excluded: Counter[str] = Counter()
    for unit in rows.screened:
        if unit.screening != Screening.ELIGIBLE:
            excluded[SCREENING_REASONS[Screening(unit.screening)]] += 1
        elif unit.arm is None:
            excluded[NEVER_ALLOCATED] += 1
    arms = []
    for arm in sorted(rows.arms, key=lambda a: a.blind_label if blinded else f"{a.position:03}"):
        units = [u for u in rows.randomised if u.arm is not None and u.arm.pk == arm.pk]
        arms.append(
            arm_flow(rows, arm, units, outcome_waves, primary_wave, primary.instrument, blinded=blinded)
        )
    return Flow(
        assessed=len(rows.screened), excluded=reasons(excluded), randomised=len(rows.randomised), arms=arms
    )


def arm_flow(
    rows: TrialRows,
    arm: TrialArm,
    units: Sequence[Screened],
    waves: Sequence[Wave],
    primary_wave: Wave,
    instrument: str,
    *,
    blinded: bool,
) -> ArmFlow:
    minimum = rows.trial.received_min_sessions
    # Blinded, every arm "received" its allocation: counting attendance only in the programme arm
    # would tell which letter it is.
    counted = arm.is_treatment and not blinded
    short = sum(1 for u in units if u.sessions_attended < minimum) if counted else 0
    not_received = [Reason(f"Attended fewer than {minimum} sessions", short)] if short else []
    name = get_instrument(instrument).short_name
    follow_ups = []
    for wave in waves:
        stopped: Counter[str] = Counter(u.discontinued_because for u in units if u.discontinued_because)
        lost = sum(
            1
            for u in units
            if u.research_consent
            and not u.discontinued_because
            and rows.score(u.person_id, wave, instrument) is None
        )
        follow_ups.append(
            FollowUp(
                wave=wave_words(wave),
                lost=[Reason(f"No {name} answers", lost)] if lost else [],
                discontinued=reasons(stopped),
            )
        )
    analysed = [
        u
        for u in units
        if u.research_consent
        and rows.score(u.person_id, primary_wave, instrument) is not None
        and rows.score(u.person_id, rows.baseline, instrument) is not None
    ]
    not_analysed: Counter[str] = Counter()
    for u in units:
        if not u.research_consent:
            not_analysed[WITHDREW] += 1
        elif u not in analysed:
            not_analysed[f"No {name} answers at {wave_words(primary_wave).lower()}"] += 1
    return ArmFlow(
        label=arm_label(arm, blinded=blinded),
        allocated=len(units),
        received=len(units) - short,
        not_received=not_received,
        follow_ups=follow_ups,
        analysed=len(analysed),
        excluded_from_analysis=reasons(not_analysed),
    )


def flow_for(trial: Trial, *, blinded: bool) -> Flow:
    return flow_from(trial_rows(trial), blinded=blinded)


def problems(flow: Flow) -> list[str]:
    return consort.problems(flow)


def svg(flow: Flow, *, hidden: bool) -> SafeString:
    if consort.problems(flow):
        return SafeString("")
    return consort.consort_svg(flow, hidden=hidden)


def rows(flow: Flow, *, hidden: bool) -> list[ConsortRow]:
    if consort.problems(flow):
        return []
    return consort.consort_rows(flow, hidden=hidden)
