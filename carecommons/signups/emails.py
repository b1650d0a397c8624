"""The emails an applicant gets about their own application. They are transactional: sent whatever
the person chose about being contacted, because they answer something the person asked for."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from carecommons.lib.urls import absolute_url
from carecommons.programmes.models import Enrolment, EnrolmentStatus

SUBJECTS = {
    "confirmation": "We have your application to {programme}",
    "accepted": "You have a place on {programme}",
    "declined": "Your application to {programme}",
    "waitlisted": "You are on the waiting list for {programme}",
    "offered": "A place on {programme} has come up for you",
    "offer_expired": "The place we offered you on {programme} has passed on",
}


def send_signup_email(*, enrolment_id: int, kind: str) -> bool:
    """Send one of SUBJECTS' emails; False when there is nobody to send it to (or, for an offer, the
    offer was answered before the email left)."""
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown sign-up email: {kind}")
    enrolment = (
        Enrolment.objects.select_related("person", "cohort__programme").filter(pk=enrolment_id).first()
    )
    if enrolment is None or not enrolment.person.email:
        return False
    offer_link = ""
    if kind == "offered":
        if enrolment.status != EnrolmentStatus.OFFERED or not enrolment.response_token:
            return False
        offer_link = absolute_url(reverse("signups:offer_response", args=[enrolment.response_token]))
    withdraw_link = absolute_url(reverse("signups:withdraw", args=[enrolment.uuid]))
    programme = enrolment.cohort.programme
    context = {
        "name": enrolment.person.preferred_name or enrolment.person.given_name,
        "programme": programme,
        "cohort": enrolment.cohort,
        "enrolment": enrolment,
        "site_name": settings.MFA_TOTP_ISSUER,
        "offer_link": offer_link,
        "withdraw_link": withdraw_link if enrolment.person.user_id else "",
    }
    send_mail(
        subject=SUBJECTS[kind].format(programme=programme.name),
        message=render_to_string(f"signups/email/{kind}.txt", context),
        from_email=None,
        recipient_list=[enrolment.person.email],
    )
    return True
