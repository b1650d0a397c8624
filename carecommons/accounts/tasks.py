from django_tasks import task

from carecommons.accounts.invitations import send_invitation


@task()
def send_account_invitation(user_id: int, inviter_name: str) -> None:
    """Email a new account holder a link to choose their password."""
    send_invitation(user_id=user_id, inviter_name=inviter_name)
