"""Who may read the whole audit log is decided by the audit app from site roles alone."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from carecommons.accounts.models import Role
from carecommons.audit.access import audit_log_for, can_read_audit_log
from carecommons.audit.services import record_event
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_convenor_reads_the_whole_log_and_every_other_role_gets_a_404() -> None:
    convenor = make_user("grace", [Role.CONVENOR])
    record_event(actor=None, action="test.something", target=None)
    assert can_read_audit_log(convenor)
    assert audit_log_for(convenor).filter(action="test.something").exists()
    others = [make_user(role.value, [role]) for role in Role if role != Role.CONVENOR]
    assert others
    for user in others:
        assert not can_read_audit_log(user)
        with pytest.raises(Http404):
            audit_log_for(user)


def test_someone_not_signed_in_cannot_read_the_log() -> None:
    assert not can_read_audit_log(AnonymousUser())  # type: ignore[arg-type]
