"""Who may read the whole audit log: a site role, asked of accounts. Views load the log only here.

A person reading the events about their own record is the people app's rule (`can_read_audit`
there), built on this one, so audit imports nothing above accounts (decision 0026)."""

from django.db.models import QuerySet
from django.http import Http404

from carecommons.accounts.models import Role, User
from carecommons.audit.models import AuditEvent

AUDIT_ROLES = (Role.CONVENOR,)


def can_read_audit_log(user: User) -> bool:
    return user.is_authenticated and user.has_role(*AUDIT_ROLES)


def audit_log_for(user: User) -> QuerySet[AuditEvent]:
    """The whole audit log, for those who may read it; a 404 for anyone else."""
    if not can_read_audit_log(user):
        raise Http404
    return AuditEvent.objects.select_related("actor")
