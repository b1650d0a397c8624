"""Who may see answers, alerts and outcome figures. Views load measures rows only through here.

- Participants see their own answers, and answer through their private invitation link.
- Facilitators see the answers of their cohorts' participants whose consent to take part in the
  programme is current, and can enter a paper form for any of their cohorts' participants.
- Convenors see everything. Evaluators see aggregate outcomes and the pseudonymised export only.
- Safeguarding alerts go to the programme's safeguarding leads, the cohort's facilitators and
  convenors, whatever the consent: keeping someone safe comes before the sharing choice.

The helpers at the end read what hangs off a row the caller already holds through a helper here (an
invitation through its link or get_invitation_for_staff, an alert through get_alert_for_user) or
through programmes.access.get_cohort_for_user(..., run=True): they never widen what a user sees.
"""

from uuid import UUID

from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.utils.crypto import constant_time_compare, salted_hmac

from carecommons.accounts.models import Role, User
from carecommons.measures.models import AlertQuerySet, Invitation, Response, SafeguardingAlert, Wave
from carecommons.people.consent import consented, decision
from carecommons.people.models import Consent, ConsentPurpose, Person, PersonQuerySet
from carecommons.programmes.access import cohorts_run_by, is_convenor
from carecommons.programmes.models import Cohort, CohortFacilitator, EnrolmentStatus, Programme

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


def programme_consent_current() -> Exists:
    return consented(ConsentPurpose.PROGRAMME, of="person")


def research_consent_current() -> Exists:
    return consented(ConsentPurpose.RESEARCH, of="person")


def responses_for_research(user: User) -> QuerySet[Response]:
    """Sent answers of people whose consent to research is current: what the pseudonymised export holds."""
    if not can_see_outcomes(user):
        raise Http404
    return Response.objects.submitted().filter(research_consent_current())


def research_consenters(responses: QuerySet[Response]) -> set[int]:
    """Ids of the people among `responses` whose research consent is current: the rule of
    responses_for_research, asked once per person rather than once per response. Keeping the
    responses of these people gives exactly responses_for_research's rows."""
    consenting = Person.objects.filter(id__in=responses.values("person_id")).filter(
        consented(ConsentPurpose.RESEARCH, of="pk")
    )
    return set(consenting.values_list("id", flat=True))


def responses_sent_for_outcomes(user: User) -> QuerySet[Response]:
    """Every sent response, whatever the consent: for counting who the export leaves out, never for
    the export itself."""
    if not can_see_outcomes(user):
        raise Http404
    return Response.objects.submitted()


def responses_for_figures(user: User) -> QuerySet[Response]:
    """Responses whose aggregate (suppressed) figures the user may see: every one for convenors and
    evaluators, otherwise the ones visible to them."""
    return Response.objects.all() if can_see_outcomes(user) else responses_visible_to(user)


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
            .select_related("person", "cohort__programme", "invitation__wave")
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


def programmes_with_outcomes_for(user: User) -> QuerySet[Programme]:
    return Programme.objects.filter(id__in=cohorts_with_outcomes_for(user).values("programme_id"))


def lead_candidates(programme: Programme) -> PersonQuerySet:
    """People who can act on an alert: they sign in. Current leads stay choosable even without."""
    return Person.objects.filter(
        Q(user__isnull=False, user__is_active=True) | Q(safeguarding_lead_for__programme=programme)
    ).distinct()


def safeguarding_leads_of(programme: Programme) -> PersonQuerySet:
    return Person.objects.filter(safeguarding_lead_for__programme=programme)


def get_response_for_user(user: User, response_uuid: UUID) -> Response:
    try:
        return responses_visible_to(user).select_related("person", "cohort", "wave").get(uuid=response_uuid)
    except Response.DoesNotExist:
        raise Http404 from None


# --- Reads behind a row the caller already holds (see the module's docstring) --------------------


def alert_for_link(invitation: Invitation) -> SafeguardingAlert | None:
    """The follow-up the link's answers opened, if any; only whether it is closed is read."""
    return SafeguardingAlert.objects.filter(invitation=invitation).only("closed_at").first()


def response_to(invitation: Invitation, instrument_id: str) -> Response | None:
    """The invitation's answers to one questionnaire, sent or not, with who entered them."""
    return (
        Response.objects.filter(invitation=invitation, instrument=instrument_id)
        .select_related("entered_by", "invitation__alert")
        .first()
    )


def programme_waves(programme_id: int) -> list[Wave]:
    """A programme's waves in the order people meet them."""
    return sorted(Wave.objects.filter(programme_id=programme_id), key=lambda wave: wave.order)


def cohort_members(cohort: Cohort) -> list[Person]:
    """The people with an accepted place in the cohort, in name order."""
    return [
        enrolment.person
        for enrolment in cohort.enrolments.filter(status=EnrolmentStatus.ACCEPTED)
        .select_related("person")
        .order_by("person__sort_key", "person_id")
    ]


def cohort_invitations(cohort: Cohort) -> QuerySet[Invitation]:
    return Invitation.objects.filter(cohort=cohort)


def cohort_answer_statuses(cohort: Cohort) -> list[tuple[int, str, str]]:
    """(invitation id, instrument, status) of every response in the cohort: never an answer or score."""
    return list(Response.objects.filter(cohort=cohort).values_list("invitation_id", "instrument", "status"))


def get_cohort_wave(cohort: Cohort, wave_uuid: UUID) -> Wave:
    try:
        return Wave.objects.get(uuid=wave_uuid, programme_id=cohort.programme_id)
    except Wave.DoesNotExist:
        raise Http404 from None


def get_cohort_member(cohort: Cohort, person_uuid: UUID) -> Person:
    """Someone with an accepted place in the cohort: nobody else can be sent its questionnaires."""
    member = (
        Person.objects.filter(
            uuid=person_uuid, enrolments__cohort=cohort, enrolments__status=EnrolmentStatus.ACCEPTED
        )
        .select_related("user")
        .first()
    )
    if member is None:
        raise Http404
    return member


def invitation_of(wave: Wave, cohort: Cohort, person: Person) -> Invitation | None:
    return Invitation.objects.filter(wave=wave, cohort=cohort, person=person).first()


def contact_consent(alert: SafeguardingAlert) -> Consent | None:
    """The alert's person's current choice about being contacted, for whoever may open the alert."""
    return decision(alert.person_id, ConsentPurpose.CONTACT)


def alert_facilitators(alert: SafeguardingAlert) -> QuerySet[CohortFacilitator]:
    return CohortFacilitator.objects.filter(cohort_id=alert.cohort_id).select_related("person")


def facilitators_of(responses: QuerySet[Response]) -> list[tuple[int, UUID]]:
    """(cohort id, facilitator's person uuid) for every cohort the responses come from."""
    links = CohortFacilitator.objects.filter(cohort_id__in=responses.values("cohort_id"))
    return list(links.values_list("cohort_id", "person__uuid"))
