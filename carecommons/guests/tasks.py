from django_tasks import task

from carecommons.guests.emails import send_invitation_email


@task()
def send_guest_invitation(invitation_id: int) -> bool:
    """Email a guest their private link to the session."""
    return send_invitation_email(invitation_id=invitation_id)
