"""Holm's (1979, Scandinavian Journal of Statistics 6:65) step-down adjustment for the secondary
outcomes: with the m p-values in increasing order p_(1) <= ... <= p_(m), the adjusted
p_(i) = min(1, max over j <= i of (m - j + 1) p_(j)). It controls the family-wise error rate
whatever the dependence between outcomes, and rejects everything Bonferroni does and more.
The running maximum keeps the adjusted values in the order of the raw ones."""

from collections.abc import Sequence

import numpy as np


def holm(pvalues: Sequence[float]) -> list[float]:
    """Adjusted p-values, in the order given."""
    raw = np.asarray(pvalues, dtype=float)
    if np.isnan(raw).any() or (raw < 0).any() or (raw > 1).any():
        raise ValueError("Every p-value must be a number from 0 to 1.")
    m = len(raw)
    order = np.argsort(raw, kind="stable")
    stepped = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * raw[order]))
    adjusted = np.empty(m)
    adjusted[order] = stepped
    return [float(p) for p in adjusted]
