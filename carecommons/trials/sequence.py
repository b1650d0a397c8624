"""The statistician's check: every allocation made, next to the arm the secret gives for its slot.
A mismatch would mean the list was tampered with; the page says so."""

from dataclasses import dataclass

from carecommons.trials import randomisation
from carecommons.trials.models import Allocation, Method, Trial


@dataclass(frozen=True)
class Check:
    allocation: Allocation
    expected: str
    matches: bool


def described(trial: Trial) -> str:
    """The trial's randomisation in words, by arm name."""
    arms = list(trial.arms.all())
    names = [a.name for a in arms]
    ratio = [a.ratio for a in arms]
    factors = [f.name for f in trial.factors.all()]
    if trial.method == Method.MINIMISATION:
        return randomisation.describe_minimisation(
            arms=names, ratio=ratio, factors=factors, best_probability=trial.best_probability
        )
    return randomisation.describe_blocks(
        arms=names, ratio=ratio, block_multiples=tuple(trial.block_multiples), strata=factors
    )


def verification(trial: Trial) -> list[Check]:
    arms = list(trial.arms.all())
    names = [str(a.position) for a in arms]
    ratio = [a.ratio for a in arms]
    secret = bytes.fromhex(trial.secret)
    checks = []
    history: dict[str, list[tuple[str, dict[str, str]]]] = {}
    allocations = (
        Allocation.objects.filter(trial=trial).select_related("arm").order_by("list_name", "stratum", "slot")
    )
    for allocation in allocations:
        if trial.method == Method.MINIMISATION:
            earlier = history.setdefault(allocation.list_name, [])
            levels = dict(allocation.levels)
            expected = randomisation.minimised_arm(
                secret,
                list_name=randomisation.list_name(allocation.list_name),
                slot=allocation.slot,
                arms=names,
                ratio=ratio,
                factors=levels,
                history=list(earlier),
                best_probability=trial.best_probability,
            )
            earlier.append((str(allocation.arm.position), levels))
        else:
            expected = randomisation.block_arm(
                secret,
                list_name=randomisation.list_name(allocation.list_name),
                stratum=allocation.stratum,
                slot=allocation.slot,
                arms=names,
                ratio=ratio,
                block_multiples=tuple(trial.block_multiples),
            )
        name = arms[names.index(expected)].name
        checks.append(Check(allocation, name, expected == str(allocation.arm.position)))
    return checks
