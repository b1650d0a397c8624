from django_tasks import task

from carecommons.signups import emails, services


@task()
def send_signup_email(enrolment_id: int, kind: str) -> bool:
    """Email an applicant about their application (see signups.emails for the kinds)."""
    return emails.send_signup_email(enrolment_id=enrolment_id, kind=kind)


@task()
def expire_offers() -> int:
    """Pass on offered places whose time is up to the next person waiting."""
    return services.expire_offers()
