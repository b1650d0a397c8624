"""One person with rows in every app, made through the real services (for export and erasure tests)."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.assets.services import create_asset
from carecommons.calendars.services import claim, create_feed
from carecommons.expenses import services as expenses
from carecommons.expenses.tests.factories import make_expense, member, photo
from carecommons.finances import services as finances
from carecommons.finances.models import Account, GroupRole
from carecommons.finances.tests.factories import join, make_group
from carecommons.learningsets.tests.factories import make_set, record
from carecommons.listening.tests.factories import make_lab, make_person, record_conversation
from carecommons.measures.running.safeguarding import log_follow_up
from carecommons.measures.tests.factories import PHQ9_RISK, answer, invite
from carecommons.networks.tests.factories import snapshot_of
from carecommons.people.models import ConsentPurpose, Person
from carecommons.people.services import (
    add_affiliation,
    add_relationship,
    create_organisation,
    create_person,
    merge_people,
    publish_wording,
    record_consent,
    set_tags,
)
from carecommons.programmes.services import add_facilitator, record_attendance, save_closing_report
from carecommons.programmes.tests.factories import enrol, make_cohort, make_session
from carecommons.signups.tests.factories import apply_as, open_cohort, publish_wordings
from carecommons.transfers.tests.factories import checked_batch, people_csv
from conftest import make_user

NAME = "Oluwaseun Quillfeather"
EMAIL = "oluwaseun.quillfeather@example.net"
PHONE = "07700 900461"


@dataclass
class Everywhere:
    person: Person
    user: User
    staff: User


def link_account(person: Person) -> User:
    user = make_user("quillfeather", [Role.PARTICIPANT], with_person=False)
    User.objects.filter(pk=user.pk).update(email=EMAIL)
    Person.objects.filter(pk=person.pk).update(user=user)
    user.refresh_from_db()
    return user


def make_everywhere() -> Everywhere:
    staff = make_user("staffer", [Role.CONVENOR, Role.ORGANISER, Role.FACILITATOR])
    person = create_person(
        by=None,
        given_name="Oluwaseun",
        family_name="Quillfeather",
        email=EMAIL,
        phone=PHONE,
        postal_address="12 Larch Row, Leeds",
        accessibility_needs="Large print, please",
        pronouns="they/them",
    )
    set_tags(person, ["food bank"])
    user = link_account(person)
    people(person, staff)
    programmes(person, staff)
    money(person, user, staff)
    # An approver reaches others' claims, so must use a second factor like staff do.
    TOTP.activate(user, generate_totp_secret())
    return Everywhere(Person.objects.get(pk=person.pk), user, staff)


def people(person: Person, staff: User) -> None:
    duplicate = create_person(by=None, given_name="Oluwaseun", family_name="Quillfeather", phone=PHONE)
    merge_people(survivor=person, absorbed=duplicate, by=staff)
    org = create_organisation(by=None, name="Larch Row Tenants", kind="grassroots")
    add_affiliation(person=person, organisation=org, role="chair", by=None)
    friend = create_person(by=None, given_name="Hattie", family_name="Brown")
    add_relationship(from_person=friend, to_person=person, kind="friend", by=None, note=f"Knows {NAME} well")
    wording = publish_wording(purpose=ConsentPurpose.CONTACT, text="We may contact you.", by=None)
    record_consent(
        person=person, purpose=ConsentPurpose.CONTACT, given=True, method="paper", wording=wording, by=None
    )
    checked_batch(by=staff, text=people_csv(f"{EMAIL},Oluwaseun,Quillfeather"))


def programmes(person: Person, staff: User) -> None:
    cohort = make_cohort(facilitator=staff)
    enrol(cohort, person)
    session = make_session(cohort, starts_at=timezone.now() - timedelta(days=2))
    record_attendance(session=session, person=person, status="attended", by=staff)
    save_closing_report(
        session=session,
        by=staff,
        notes=f"{NAME} led the check-in.",
        reflections="",
        follow_ups="",
        complete=True,
    )
    claim(session=make_session(cohort), person=person, kind="day_before")
    create_feed(person=person, by=None)
    other = make_cohort(name="Cohort 2")
    add_facilitator(cohort=other, person=person, lived_experience_leader=True, by=None)
    publish_wordings()
    apply_as(open_cohort(), EMAIL, given_name="Oluwaseun", family_name="Quillfeather", access_needs="Ramp")
    others = [create_person(by=None, given_name=f"Member{n}") for n in range(3)]
    for other_person in others:
        enrol(cohort, other_person)
    record(make_set(cohort, members=[person, *others]), presenters=[person])
    invitation = invite(person, cohort=cohort)
    response = answer(invitation, "phq9", PHQ9_RISK)
    for alert in person.safeguarding_alerts.all():
        log_follow_up(
            alert=alert,
            by=staff,
            contacted_at=timezone.now(),
            method="phone",
            note=f"Rang {PHONE}; {NAME} is safe and has support.",
            closes_alert=True,
        )
    assert response.person_id == person.pk
    lab = make_lab(organiser=staff, members=[person])
    record_conversation(
        lab, by=staff, person=person, story=f"I am {NAME}; call me on {PHONE}.", cares_about="Housing"
    )
    someone = make_person("Pat", "Lee")
    record_conversation(
        lab, by=staff, person=someone, suggested_people=[person], gifts=f"Ask {NAME} about sewing"
    )
    create_asset(lab=lab, by=staff, name=f"{NAME}'s sewing", category="individual", people=[person])
    snapshot_of(lab, by=staff)


def money(person: Person, user: User, staff: User) -> None:
    group = make_group(approval_threshold_pence=100_000)
    join(group, person, GroupRole.APPROVER)
    treasurer = member(group, GroupRole.TREASURER, GroupRole.APPROVER)
    bank = Account.objects.get(group=group, name="Bank account")
    finances.record_donation(
        group=group, amount_pence=5000, occurred_on=timezone.localdate(), by=staff, donor=NAME
    )
    finances.record_cash(
        group=group, amount_pence=1200, occurred_on=timezone.localdate(), collected_by=person, by=None
    )
    paid = make_expense(
        group,
        user,
        payee_name=NAME,
        payee_sort_code="12-34-56",
        payee_account_number="12345678",
        description=f"Bus fares for {NAME}",
    )
    expenses.add_receipts(expense=paid, uploads=[photo(f"{NAME}.jpg")], by=user)
    expenses.approve_expense(expense=paid, by=treasurer)
    expenses.pay_expense(expense=paid, by=treasurer, account=bank)
    draft = make_expense(group, user, submit=False, description="Stamps")
    expenses.add_receipts(expense=draft, uploads=[photo("stamps.jpg")], by=user)
