"""The emails an applicant gets about their own application. They are transactional: sent whatever
the person chose about being contacted, because they answer something the person asked for."""

from django.urls import reverse

from carecommons.lib import email
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
    links: dict[str, str] = {}
    if kind == "offered":
        if enrolment.status != EnrolmentStatus.OFFERED or not enrolment.response_token:
            return False
        links["offer_link"] = reverse("signups:offer_response", args=[enrolment.response_token])
    if enrolment.person.user_id:
        links["withdraw_link"] = reverse("signups:withdraw", args=[enrolment.uuid])
    programme = enrolment.cohort.programme
    email.send(
        to=enrolment.person.email,
        subject=SUBJECTS[kind].format(programme=programme.name),
        text_template=f"signups/email/{kind}.txt",
        context={
            "name": enrolment.person.preferred_name or enrolment.person.given_name,
            "programme": programme,
            "cohort": enrolment.cohort,
            "enrolment": enrolment,
        },
        links=links,
    )
    return True
