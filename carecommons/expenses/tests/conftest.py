import pytest

from carecommons.expenses.tests.factories import make_group, member


@pytest.fixture
def cast():  # type: ignore[no-untyped-def]
    """A group needing one approval up to £50 and two over it, with two approvers and a treasurer."""
    group = make_group(approval_threshold_pence=5000, approvals_over_threshold=2)
    return {
        "group": group,
        "claimant": member(group, name="claimant"),
        "ada": member(group, "approver", name="ada"),
        "bo": member(group, "approver", name="bo"),
        "tess": member(group, "treasurer", name="tess"),
    }
