"""The window rules guests and staff invited back share: a status at any moment that agrees with
`usable`, and the checks on a window's ends."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from carecommons.lib.windows import MAX_VALIDITY, WindowStatus, check_window, status

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Plain:
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None = None


def test_a_window_is_not_yet_open_then_active_then_expired_and_withdrawn_above_all() -> None:
    window = Plain(START, START + timedelta(days=2))
    assert status(window, START - timedelta(seconds=1)) == WindowStatus.NOT_YET_OPEN
    assert status(window, START) == WindowStatus.ACTIVE
    assert status(window, START + timedelta(days=2)) == WindowStatus.EXPIRED
    assert status(Plain(START, START + timedelta(days=2), START), START) == WindowStatus.WITHDRAWN


@given(st.integers(min_value=-5, max_value=5), st.integers(min_value=1, max_value=5))
def test_active_exactly_from_the_first_moment_until_before_the_last(offset: int, length: int) -> None:
    window = Plain(START, START + timedelta(hours=length))
    now = START + timedelta(hours=offset)
    assert (status(window, now) == WindowStatus.ACTIVE) == (START <= now < window.valid_until)


def test_check_window_refuses_a_window_that_ends_first_has_passed_or_is_too_long() -> None:
    with pytest.raises(ValidationError, match="must stop working after it starts"):
        check_window(START, START, START, noun="link")
    with pytest.raises(ValidationError, match="This date has passed"):
        check_window(START - timedelta(days=2), START - timedelta(days=1), START, noun="link")
    with pytest.raises(ValidationError, match="at most 30 days"):
        check_window(START, START + MAX_VALIDITY + timedelta(minutes=1), START, noun="invitation")
    check_window(START, START + MAX_VALIDITY, START, noun="invitation")
