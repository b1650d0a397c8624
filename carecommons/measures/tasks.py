from django_tasks import task

from carecommons.measures.running import notifications


@task()
def notify_safeguarding_alert(alert_id: int) -> int:
    """Tell the programme's safeguarding leads and the cohort's facilitators about a new alert."""
    return notifications.notify_alert(alert_id)


@task()
def escalate_safeguarding_alert(alert_id: int) -> int:
    """Tell convenors (and any escalation addresses) that an alert is overdue."""
    return notifications.escalate_alert(alert_id)


@task()
def send_invitation(invitation_id: int) -> int:
    """Email a person their private link to a wave of questionnaires."""
    return notifications.send_invitation(invitation_id)


@task()
def send_reminder(invitation_id: int) -> int:
    """Email a reminder the sweep has already claimed and counted (see sweep.py)."""
    return notifications.send_invitation(invitation_id, reminder=True)
