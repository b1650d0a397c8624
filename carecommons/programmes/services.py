"""Writes for programmes, cohorts, sessions, registers and closing reports. One transaction each, audited."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecommons.accounts.models import User
from carecommons.audit.services import record_event
from carecommons.lib.dates import PLANNED, check_date
from carecommons.people.models import Organisation, Person
from carecommons.programmes import notifications
from carecommons.programmes.access import register_of
from carecommons.programmes.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortFacilitator,
    Enrolment,
    EnrolmentStatus,
    Material,
    Programme,
    Session,
    SessionTemplate,
)
from carecommons.programmes.uploads import check_material

SESSION_FIELDS = ("title", "starts_at", "ends_at", "mode", "location", "meeting_link", "agenda")


@transaction.atomic
def create_programme(
    *,
    by: User | None,
    name: str,
    description: str,
    kind: str = "programme",
    partners: Iterable[Organisation] = (),
) -> Programme:
    programme = Programme(name=name.strip(), description=description, kind=kind)
    programme.full_clean()
    programme.save()
    programme.partners.set(partners)
    record_event(actor=by, action="programme.created", target=programme)
    return programme


@transaction.atomic
def update_programme(
    *, programme: Programme, by: User | None, partners: Iterable[Organisation] | None = None, **values: Any
) -> Programme:
    changed = [
        f for f in ("name", "description", "kind") if f in values and getattr(programme, f) != values[f]
    ]
    for field in changed:
        setattr(programme, field, values[field])
    programme.full_clean()
    programme.save()
    if partners is not None:
        programme.partners.set(partners)
        changed.append("partners")
    record_event(actor=by, action="programme.updated", target=programme, detail={"fields": changed})
    return programme


@transaction.atomic
def add_session_template(
    *,
    programme: Programme,
    by: User | None,
    title: str,
    aims: str = "",
    practice: str = "",
    duration_minutes: int = 120,
) -> SessionTemplate:
    last = programme.curriculum.order_by("-position").values_list("position", flat=True).first() or 0
    template = SessionTemplate(
        programme=programme,
        position=last + 1,
        title=title,
        aims=aims,
        practice=practice,
        duration_minutes=duration_minutes,
    )
    template.full_clean()
    template.save()
    record_event(
        actor=by,
        action="programme.curriculum_added",
        target=programme,
        detail={"position": template.position},
    )
    return template


@transaction.atomic
def create_cohort(
    *,
    programme: Programme,
    by: User | None,
    name: str,
    starts_on: date,
    ends_on: date,
    capacity: int,
    signup_open: bool = False,
    signup_intro: str = "",
) -> Cohort:
    check_cohort_dates(starts_on, ends_on)
    cohort = Cohort(
        programme=programme,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        signup_open=signup_open,
        signup_intro=signup_intro,
    )
    cohort.full_clean()
    cohort.save()
    record_event(actor=by, action="cohort.created", target=cohort)
    return cohort


@transaction.atomic
def update_cohort(*, cohort: Cohort, by: User | None, **values: Any) -> Cohort:
    fields = ("name", "starts_on", "ends_on", "capacity", "signup_open", "signup_intro")
    changed = [f for f in fields if f in values and getattr(cohort, f) != values[f]]
    for field in changed:
        setattr(cohort, field, values[field])
    check_cohort_dates(cohort.starts_on, cohort.ends_on)
    if "signup_open" in changed:
        # Kept so that someone still typing on a page that has just closed is told when it closed.
        cohort.signup_closed_at = None if cohort.signup_open else timezone.now()
    cohort.full_clean()
    cohort.save()
    record_event(actor=by, action="cohort.updated", target=cohort, detail={"fields": changed})
    return cohort


@transaction.atomic
def add_facilitator(
    *, cohort: Cohort, person: Person, lived_experience_leader: bool, by: User | None
) -> CohortFacilitator:
    link, created = CohortFacilitator.objects.get_or_create(
        cohort=cohort, person=person, defaults={"lived_experience_leader": lived_experience_leader}
    )
    if not created and link.lived_experience_leader != lived_experience_leader:
        link.lived_experience_leader = lived_experience_leader
        link.save(update_fields=["lived_experience_leader", "updated_at"])
    record_event(
        actor=by, action="cohort.facilitator_added", target=cohort, detail={"person": str(person.uuid)}
    )
    return link


@transaction.atomic
def remove_facilitator(*, cohort: Cohort, person: Person, by: User | None) -> None:
    CohortFacilitator.objects.filter(cohort=cohort, person=person).delete()
    record_event(
        actor=by, action="cohort.facilitator_removed", target=cohort, detail={"person": str(person.uuid)}
    )


def check_cohort_dates(starts_on: date, ends_on: date) -> None:
    check_date(starts_on, PLANNED, field="starts_on")
    check_date(ends_on, PLANNED, field="ends_on")


def check_session_times(starts_at: datetime, ends_at: datetime) -> None:
    check_date(starts_at, PLANNED, field="starts_at")
    check_date(ends_at, PLANNED, field="ends_at")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The session must end after it starts."})


@transaction.atomic
def schedule_session(
    *,
    cohort: Cohort,
    by: User | None,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    mode: str = "in_person",
    location: str = "",
    meeting_link: str = "",
    agenda: str = "",
    template: SessionTemplate | None = None,
    facilitators: Iterable[Person] = (),
) -> Session:
    check_session_times(starts_at, ends_at)
    session = Session(
        cohort=cohort,
        template=template,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        location=location,
        meeting_link=meeting_link,
        agenda=agenda,
    )
    session.full_clean(exclude=["template"])
    session.save()
    session.facilitators.set(facilitators)
    record_event(actor=by, action="session.scheduled", target=session)
    notifications.session_scheduled(session)
    return session


@transaction.atomic
def update_session(
    *, session: Session, by: User | None, facilitators: Iterable[Person] | None = None, **values: Any
) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    changed = [f for f in SESSION_FIELDS if f in values and getattr(session, f) != values[f]]
    moved = "starts_at" in changed or "ends_at" in changed
    for field in changed:
        setattr(session, field, values[field])
    check_session_times(session.starts_at, session.ends_at)
    session.full_clean(exclude=["template"])
    session.save()
    if facilitators is not None:
        session.facilitators.set(facilitators)
    record_event(actor=by, action="session.updated", target=session, detail={"fields": changed})
    if moved:
        notifications.session_rescheduled(session)
    return session


@transaction.atomic
def cancel_session(*, session: Session, by: User | None) -> Session:
    updated = Session.objects.filter(pk=session.pk, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )
    session.refresh_from_db()
    if updated:
        record_event(actor=by, action="session.cancelled", target=session)
        notifications.session_cancelled(session)
    return session


def register_people(session: Session) -> list[Person]:
    return list(register_of(session).order_by("sort_key", "id"))


@transaction.atomic
def record_attendance(
    *, session: Session, person: Person, status: str, late: bool = False, by: User | None
) -> Attendance:
    """Mark one person; marking again changes the mark, never adds a second row."""
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": "Choose attended, apologies or absent."})
    on_list = (
        Enrolment.objects.filter(
            cohort_id=session.cohort_id, person=person, status=EnrolmentStatus.ACCEPTED
        ).exists()
        or Attendance.objects.filter(session=session, person=person).exists()
    )
    if not on_list:
        raise ValidationError("Only members of this cohort can be on its register.")
    late = late and status == AttendanceStatus.ATTENDED
    recorder = by if by is not None and by.is_authenticated else None
    try:
        with transaction.atomic():
            attendance, _ = Attendance.objects.update_or_create(
                session=session,
                person=person,
                defaults={"status": status, "late": late, "recorded_by": recorder},
            )
    except IntegrityError:
        # Two taps at once: the other one created the row; apply this mark to it.
        attendance = Attendance.objects.get(session=session, person=person)
        attendance.status, attendance.late, attendance.recorded_by = status, late, recorder
        attendance.save()
    record_event(
        actor=by,
        action="session.attendance_marked",
        target=session,
        detail={"person": str(person.uuid), "status": status},
    )
    return attendance


@transaction.atomic
def save_closing_report(
    *, session: Session, by: User | None, notes: str, reflections: str, follow_ups: str, complete: bool
) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    session.notes, session.reflections, session.follow_ups = notes, reflections, follow_ups
    if complete and session.report_completed_at is None:
        session.report_completed_at = timezone.now()
    session.save()
    record_event(actor=by, action="session.report_saved", target=session, detail={"complete": complete})
    return session


@transaction.atomic
def add_material(*, session: Session, upload: UploadedFile, title: str, by: User | None) -> Material:
    head = upload.read(2048)
    upload.seek(0)
    problem, content_type = check_material(
        upload.name or "", head, upload.size or 0, settings.MATERIAL_MAX_BYTES
    )
    if problem:
        raise ValidationError({"file": problem})
    material = Material(
        session=session,
        title=title.strip() or (upload.name or "Material"),
        file=upload,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=by if by is not None and by.is_authenticated else None,
    )
    material.save()
    record_event(
        actor=by, action="session.material_added", target=session, detail={"material": str(material.uuid)}
    )
    return material


@transaction.atomic
def remove_material(*, material: Material, by: User | None) -> None:
    session, material_uuid = material.session, str(material.uuid)
    storage, name = material.file.storage, material.file.name
    material.delete()
    transaction.on_commit(lambda: storage.delete(name))
    record_event(
        actor=by, action="session.material_removed", target=session, detail={"material": material_uuid}
    )


@transaction.atomic
def enrol_person(
    *,
    cohort: Cohort,
    person: Person,
    by: User | None,
    status: str = EnrolmentStatus.ACCEPTED,
    organisation: Organisation | None = None,
    access_needs: str = "",
) -> Enrolment:
    """Staff add someone to a cohort directly (sign-up applications go through carecommons.signups)."""
    now = timezone.now()
    enrolment, created = Enrolment.objects.get_or_create(
        cohort=cohort,
        person=person,
        defaults={
            "status": status,
            "organisation": organisation,
            "access_needs": access_needs,
            "applied_at": now,
            "decided_at": now if status != EnrolmentStatus.APPLIED else None,
        },
    )
    if created:
        record_event(
            actor=by,
            action="cohort.person_enrolled",
            target=cohort,
            detail={"person": str(person.uuid), "status": status},
        )
    return enrolment


@transaction.atomic
def add_to_cohort(*, cohort: Cohort, person: Person, by: User | None) -> Enrolment:
    """A convenor gives someone a place directly: refused when the cohort is full or they already
    have an application or place, whatever its state (change that on the applications page)."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    existing = Enrolment.objects.filter(cohort=cohort, person=person).first()
    if existing is not None:
        raise ValidationError(
            {"email": f"They already have an application here ({existing.get_status_display().lower()})."}
        )
    if Enrolment.objects.filter(cohort=cohort).holding_places().count() >= cohort.capacity:
        raise ValidationError({"email": f"All {cohort.capacity} places are taken."})
    return enrol_person(cohort=cohort, person=person, by=by)
