"""Applications to a cohort and the decisions on them. Each is one transaction and leaves an audit event
holding ids only. Every change to who holds a place first locks the cohort row, so two convenors
clicking at once cannot fill more places than there are."""

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.people.consent import decisions
from carecommons.people.models import (
    ConsentMethod,
    ConsentPurpose,
    Organisation,
    Person,
)
from carecommons.people.services import (
    add_affiliation,
    create_organisation,
    create_person,
    current_wording,
    organisation_name_key,
    record_consent,
)
from carecommons.programmes.models import Cohort, Enrolment, EnrolmentStatus, SignupQuestion
from carecommons.signups import spam

OFFER_VALID_FOR = timedelta(days=7)
S = EnrolmentStatus
# Which decisions a convenor may take from each status. Places held (accepted, offered) end by withdrawal.
DECISIONS: dict[str, tuple[str, set[str]]] = {
    "accept": ("Accept", {S.APPLIED, S.WAITLISTED, S.OFFERED, S.DECLINED, S.WITHDRAWN}),
    "waitlist": ("Waiting list", {S.APPLIED, S.DECLINED, S.WITHDRAWN}),
    "decline": ("Decline", {S.APPLIED, S.WAITLISTED}),
}


class OfferNotFound(Exception):
    """No open offer has this token: it was never issued, or it has been used."""


def decisions_for(status: str) -> list[tuple[str, str]]:
    return [(name, label) for name, (label, allowed) in DECISIONS.items() if status in allowed]


def _ids(enrolment: Enrolment) -> dict[str, Any]:
    return {"cohort": str(enrolment.cohort.uuid), "person": str(enrolment.person.uuid)}


def _notify(enrolment: Enrolment, kind: str) -> None:
    from carecommons.signups.tasks import send_signup_email

    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: send_signup_email.enqueue(enrolment_id, kind))


def _lock(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update(of=("self",)).select_related("programme").get(pk=cohort.pk)


def _reload(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("person", "cohort")
        .get(pk=enrolment.pk)
    )


class SignupClosed(Exception):
    """The cohort's sign-up closed before the application arrived; nothing was saved."""


def places_taken(cohort: Cohort) -> int:
    return Enrolment.objects.filter(cohort=cohort).holding_places().count()


# --- Applying -------------------------------------------------------------------------------------


def _find_person(email: str) -> Person | None:
    """The person with this email; with duplicates, the one who has an account, else the oldest."""
    matches = Person.objects.filter(email__iexact=email)
    return matches.filter(user__isnull=False).first() or matches.order_by("created_at", "id").first()


def _organisation_named(name: str) -> Organisation | None:
    name = name.strip()
    if not name:
        return None
    key = organisation_name_key(name)
    found = Organisation.objects.filter(name_key=key).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return create_organisation(by=None, name=name, kind="other")
    except (IntegrityError, ValidationError):
        # Someone else added it a moment ago.
        return Organisation.objects.get(name_key=key)


def _consents_shown(consents: dict[str, bool]) -> dict[str, dict[str, Any]]:
    """What an unconfirmed applicant ticked, with the wording version they were shown."""
    shown = {}
    for purpose, given in consents.items():
        wording = current_wording(purpose)
        if wording is not None:
            shown[purpose] = {"given": given, "wording_version": wording.version}
    return shown


def _record_consents(person: Person, consents: dict[str, bool]) -> None:
    """Record what was ticked, with the wording shown. Unticked boxes are recorded as 'not given' only
    when the person has never decided: a public form, which anyone can fill in with any email
    address, may add consent but never withdraw consent given before."""
    current = decisions(person)
    for purpose, given in consents.items():
        wording = current_wording(purpose)
        if wording is None or purpose == ConsentPurpose.SHARING:
            continue
        before = current.get(purpose)
        if given and before is not None and before.given and before.wording_id == wording.pk:
            continue
        if not given and before is not None:
            continue
        record_consent(
            person=person, purpose=purpose, given=given, method=ConsentMethod.ONLINE, wording=wording, by=None
        )


@transaction.atomic
def apply(
    *,
    cohort: Cohort,
    given_name: str,
    family_name: str = "",
    pronouns: str = "",
    email: str,
    phone: str = "",
    organisation_name: str = "",
    access_needs: str = "",
    answers: dict[str, str],
    consents: dict[str, bool],
    ip: str | None,
) -> Enrolment:
    """An application from the public page. Applying twice to one cohort returns the first application
    and changes nothing."""
    if spam.over_limit(ip):
        raise ValidationError(spam.MESSAGES["limit"])
    cohort = _lock(cohort)  # one application at a time per cohort: a double click finds the first
    if not cohort.signup_open:
        raise SignupClosed
    email = email.strip().lower()
    person = _find_person(email)
    details = {
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "pronouns": pronouns.strip(),
        "phone": phone.strip(),
        "accessibility_needs": access_needs.strip(),
    }
    # The email is not verified, so a form naming someone already in the directory must not change
    # their record or their consent: what was typed is kept on the application for staff to confirm.
    submitted: dict[str, Any] = {}
    is_new = person is None
    if person is not None:
        existing = Enrolment.objects.filter(cohort=cohort, person=person).first()
        if existing is not None:
            return existing
        submitted = {"details": details, "consents": _consents_shown(consents)}
    else:
        person = create_person(by=None, email=email, **details)
    organisation = _organisation_named(organisation_name)
    if is_new and organisation:
        add_affiliation(person=person, organisation=organisation, role="representative", by=None)
    question_ids = {str(pk) for pk in cohort.questions.values_list("pk", flat=True)}
    enrolment = Enrolment.objects.create(
        cohort=cohort,
        person=person,
        status=S.APPLIED,
        organisation=organisation,
        access_needs=access_needs.strip(),
        answers={key: value for key, value in answers.items() if key in question_ids and value != ""},
        applied_at=timezone.now(),
        submitted=submitted,
    )
    if is_new:
        _record_consents(person, consents)
    record_event(actor=None, action="signup.applied", target=enrolment, detail=_ids(enrolment))
    spam.count_application(ip)
    _notify(enrolment, "confirmation")
    return enrolment


# --- Convenors' decisions -------------------------------------------------------------------------


def _set_status(enrolment: Enrolment, status: str, *, by: User | None, action: str, **detail: Any) -> None:
    enrolment.status = status
    enrolment.decided_at = timezone.now()
    enrolment.response_token = ""
    enrolment.save(update_fields=["status", "decided_at", "response_token", "updated_at"])
    record_event(actor=by, action=action, target=enrolment, detail=_ids(enrolment) | detail)


def _check_decision(enrolment: Enrolment, decision: str) -> None:
    if enrolment.status not in DECISIONS[decision][1]:
        raise ValidationError(
            f"{enrolment.person.display_name}'s application is now "
            f"“{enrolment.get_status_display().lower()}”, so this cannot be done. Refresh the page to see "
            "where it stands."
        )


@transaction.atomic
def accept(*, enrolment: Enrolment, by: User | None) -> Enrolment:
    cohort = _lock(enrolment.cohort)
    enrolment = _reload(enrolment)
    _check_decision(enrolment, "accept")
    if enrolment.status != S.OFFERED and places_taken(cohort) >= cohort.capacity:
        raise ValidationError(
            f"All {cohort.capacity} places are taken, so nobody else can be accepted. Put "
            f"{enrolment.person.display_name} on the waiting list, or give the cohort more places first."
        )
    _set_status(enrolment, S.ACCEPTED, by=by, action="signup.accepted")
    _notify(enrolment, "accepted")
    return enrolment


def _decide(enrolment: Enrolment, by: User | None, *, decision: str, status: str, email: str) -> Enrolment:
    _lock(enrolment.cohort)
    enrolment = _reload(enrolment)
    _check_decision(enrolment, decision)
    _set_status(enrolment, status, by=by, action=f"signup.{email}")
    _notify(enrolment, email)
    return enrolment


@transaction.atomic
def decline(*, enrolment: Enrolment, by: User | None) -> Enrolment:
    return _decide(enrolment, by, decision="decline", status=S.DECLINED, email="declined")


@transaction.atomic
def waitlist(*, enrolment: Enrolment, by: User | None) -> Enrolment:
    return _decide(enrolment, by, decision="waitlist", status=S.WAITLISTED, email="waitlisted")


@transaction.atomic
def withdraw(*, enrolment: Enrolment, by: User | None) -> Enrolment:
    """The applicant or a convenor withdraws; a place it held is offered to the next person waiting."""
    cohort = _lock(enrolment.cohort)
    enrolment = _reload(enrolment)
    if not enrolment.can_be_withdrawn:
        raise ValidationError("This application has already been closed.")
    held_place = enrolment.holds_place
    by_self = by is not None and by.is_authenticated and enrolment.person.user_id == by.pk
    _set_status(enrolment, S.WITHDRAWN, by=by, action="signup.withdrawn", by_self=by_self)
    if held_place:
        offer_next(cohort)
    return enrolment


# --- Offers of a freed place ----------------------------------------------------------------------


def offer_next(cohort: Cohort) -> Enrolment | None:
    """Offer one free place to the first person on the waiting list. The caller holds the cohort lock."""
    if places_taken(cohort) >= cohort.capacity:
        return None
    enrolment = Enrolment.objects.filter(cohort=cohort).waiting().select_related("person").first()
    if enrolment is None:
        return None
    enrolment.cohort = cohort
    enrolment.status = S.OFFERED
    enrolment.decided_at = timezone.now()
    enrolment.offer_expires_at = enrolment.decided_at + OFFER_VALID_FOR
    enrolment.response_token = secrets.token_urlsafe(32)
    enrolment.save()
    record_event(
        actor=None,
        action="signup.offered",
        target=enrolment,
        detail=_ids(enrolment) | {"expires_at": enrolment.offer_expires_at.isoformat()},
    )
    _notify(enrolment, "offered")
    _check_expiry_at(enrolment.offer_expires_at)
    return enrolment


def _check_expiry_at(when: datetime) -> None:
    """Ask the worker to pass on offers when this one ends (backends that cannot wait rely on the
    `expire_offers` command and on the check made when someone opens the link)."""
    from carecommons.signups.tasks import expire_offers as expire_offers_task

    def enqueue() -> None:
        if expire_offers_task.get_backend().supports_defer:
            expire_offers_task.using(run_after=when + timedelta(minutes=1)).enqueue()

    transaction.on_commit(enqueue)


def _lapse(enrolment: Enrolment) -> None:
    _set_status(enrolment, S.WITHDRAWN, by=None, action="signup.offer_expired")
    _notify(enrolment, "offer_expired")


def _is_due(enrolment: Enrolment, now: datetime | None = None) -> bool:
    expires = enrolment.offer_expires_at
    return expires is not None and expires <= (now or timezone.now())


def _offer_for(token: str) -> Enrolment:
    if len(token) < 20:
        raise OfferNotFound
    enrolment = (
        Enrolment.objects.filter(response_token=token, status=S.OFFERED).select_related("cohort").first()
    )
    if enrolment is None:
        raise OfferNotFound
    return enrolment


def _locked_offer(token: str) -> tuple[Cohort, Enrolment]:
    cohort = _lock(_offer_for(token).cohort)
    found = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(response_token=token, status=S.OFFERED)
        .first()
    )
    if found is None:  # answered by another click while we waited for the lock
        raise OfferNotFound
    found.cohort = cohort
    return cohort, found


@transaction.atomic
def open_offer(*, token: str) -> Enrolment:
    """The offer behind an emailed link. An offer past its time is passed on at once; the enrolment
    then comes back withdrawn."""
    enrolment = _offer_for(token)
    if _is_due(enrolment):
        cohort, enrolment = _locked_offer(token)
        _lapse(enrolment)
        offer_next(cohort)
    return Enrolment.objects.select_related("person", "cohort__programme").get(pk=enrolment.pk)


@transaction.atomic
def respond_to_offer(*, token: str, accept: bool) -> Enrolment:
    """Take or turn down an offered place. The link works once; a late answer finds the offer passed on."""
    cohort, enrolment = _locked_offer(token)
    if _is_due(enrolment):
        _lapse(enrolment)
        offer_next(cohort)
    elif accept:
        _set_status(enrolment, S.ACCEPTED, by=None, action="signup.offer_accepted")
        _notify(enrolment, "accepted")
    else:
        _set_status(enrolment, S.DECLINED, by=None, action="signup.offer_declined")
        offer_next(cohort)
    return enrolment


@transaction.atomic
def _expire_cohort_offers(cohort_id: int, now: datetime) -> int:
    cohort = _lock(Cohort(pk=cohort_id))
    due = list(
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(cohort=cohort, status=S.OFFERED, offer_expires_at__lte=now)
    )
    for enrolment in due:
        enrolment.cohort = cohort
        _lapse(enrolment)
    for _ in due:
        offer_next(cohort)
    return len(due)


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass on every offer whose time is up, one cohort (one transaction) at a time."""
    now = now or timezone.now()
    cohort_ids = sorted(
        set(
            Enrolment.objects.filter(status=S.OFFERED, offer_expires_at__lte=now).values_list(
                "cohort_id", flat=True
            )
        )
    )
    return sum(_expire_cohort_offers(cohort_id, now) for cohort_id in cohort_ids)


# --- Sign-up questions ----------------------------------------------------------------------------


@transaction.atomic
def add_question(
    *,
    cohort: Cohort,
    by: User | None,
    text: str,
    kind: str,
    choices: Iterable[str] = (),
    required: bool = False,
) -> SignupQuestion:
    cohort = _lock(cohort)
    options = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if kind == SignupQuestion.Kind.CHOICE and len(options) < 2:
        raise ValidationError({"choices": "Give at least two choices, one on each line."})
    last = cohort.questions.order_by("-position").values_list("position", flat=True).first() or 0
    question = SignupQuestion(
        cohort=cohort,
        position=last + 1,
        text=text.strip(),
        kind=kind,
        choices=options if kind == SignupQuestion.Kind.CHOICE else [],
        required=required,
    )
    question.full_clean()
    question.save()
    record_event(actor=by, action="signup.question_added", target=cohort, detail={"question": question.pk})
    return question


@transaction.atomic
def remove_question(*, question: SignupQuestion, by: User | None) -> None:
    """Only a question nobody has answered: answers are kept by question, and would lose their meaning."""
    if Enrolment.objects.filter(cohort_id=question.cohort_id, answers__has_key=str(question.pk)).exists():
        raise ValidationError(
            "People have already answered this question, so it stays with their applications."
        )
    cohort, question_id = question.cohort, question.pk
    question.delete()
    record_event(actor=by, action="signup.question_removed", target=cohort, detail={"question": question_id})
