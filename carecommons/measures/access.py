"""Who may see answers, alerts and outcome figures. Views load measures rows only through here.

- Participants see their own answers, and answer through their private invitation link.
- Facilitators see the answers of their cohorts' participants whose consent to take part in the
  programme is current, and can enter a paper form for any of their cohorts' participants.
- Convenors see everything. Evaluators see aggregate outcomes and the pseudonymised export only.
- Safeguarding alerts go to the programme's safeguarding leads, the cohort's facilitators and
  convenors, whatever the consent: keeping someone safe comes before the sharing choice.
"""

from uuid import UUID

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.crypto import constant_time_compare, salted_hmac

from carecommons.accounts.models import Role, User
from carecommons.measures.models import AlertQuerySet, Invitation, Response, SafeguardingAlert, Wave
from carecommons.people.models import Consent, ConsentPurpose, Person
from carecommons.programmes.access import cohorts_run_by, is_convenor
from carecommons.programmes.models import Cohort, Programme

TOKEN_SALT = "carecommons.measures.invitation"  # noqa: S105 (an HMAC salt, not a secret)


def invitation_token(invitation: Invitation) -> str:
    """The secret half of an invitation link. Derived, never stored, so a database copy holds no links."""
    return salted_hmac(TOKEN_SALT, str(invitation.uuid), algorithm="sha256").hexdigest()[:40]


def get_invitation_by_token(invitation_uuid: UUID, token: str) -> Invitation:
    """The invitation a link names, whatever its state; the view explains an expired or used link."""
    try:
        invitation = Invitation.objects.select_related("wave__programme", "cohort", "person").get(
            uuid=invitation_uuid
        )
    except Invitation.DoesNotExist:
        raise Http404 from None
    if not constant_time_compare(invitation_token(invitation), token):
        raise Http404
    return invitation


def can_see_outcomes(user: User) -> bool:
    return user.is_authenticated and user.has_role(Role.CONVENOR, Role.EVALUATOR)


def own_person(user: User) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def programme_consent_current() -> Exists:
    return Exists(
        Consent.objects.current().filter(
            person=OuterRef("person"), purpose=ConsentPurpose.PROGRAMME, given=True
        )
    )


def research_consent_current() -> Exists:
    return Exists(
        Consent.objects.current().filter(
            person=OuterRef("person"), purpose=ConsentPurpose.RESEARCH, given=True
        )
    )


def responses_for_research(user: User) -> QuerySet[Response]:
    """Sent answers of people whose consent to research is current: what the pseudonymised export holds."""
    if not can_see_outcomes(user):
        raise Http404
    return Response.objects.submitted().filter(research_consent_current())


def responses_visible_to(user: User) -> QuerySet[Response]:
    if not user.is_authenticated:
        return Response.objects.none()
    if is_convenor(user):
        return Response.objects.all()
    runs = cohorts_run_by(user).values("id")
    return Response.objects.filter(Q(person__user=user) | (Q(cohort__in=runs) & programme_consent_current()))


def alerts_visible_to(user: User) -> AlertQuerySet:
    if not user.is_authenticated:
        return SafeguardingAlert.objects.none()
    if is_convenor(user):
        return SafeguardingAlert.objects.all()
    leads = Programme.objects.filter(safeguarding_leads__person__user=user).values("id")
    runs = cohorts_run_by(user).values("id")
    return SafeguardingAlert.objects.filter(Q(cohort__programme__in=leads) | Q(cohort__in=runs))


def get_alert_for_user(user: User, alert_uuid: UUID) -> SafeguardingAlert:
    try:
        return (
            alerts_visible_to(user)
            .select_related("person", "cohort__programme", "response")
            .get(uuid=alert_uuid)
        )
    except SafeguardingAlert.DoesNotExist:
        raise Http404 from None


def get_wave_for_user(user: User, wave_uuid: UUID) -> Wave:
    """Waves are set up by convenors only."""
    if not is_convenor(user):
        raise Http404
    try:
        return Wave.objects.select_related("programme").get(uuid=wave_uuid)
    except Wave.DoesNotExist:
        raise Http404 from None


def get_invitation_for_staff(user: User, invitation_uuid: UUID) -> Invitation:
    """An invitation a convenor or the cohort's facilitator may enter a paper form for."""
    try:
        return Invitation.objects.select_related("wave__programme", "cohort", "person").get(
            uuid=invitation_uuid, cohort__in=cohorts_run_by(user).values("id")
        )
    except Invitation.DoesNotExist:
        raise Http404 from None


def cohorts_with_outcomes_for(user: User) -> QuerySet[Cohort]:
    """Cohorts whose (suppressed) change figures the user may see."""
    if can_see_outcomes(user):
        return Cohort.objects.all()
    return cohorts_run_by(user)


def get_response_for_user(user: User, response_uuid: UUID) -> Response:
    try:
        return responses_visible_to(user).select_related("person", "cohort", "wave").get(uuid=response_uuid)
    except Response.DoesNotExist:
        raise Http404 from None
