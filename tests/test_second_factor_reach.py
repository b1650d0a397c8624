"""A second factor is required by what a person can reach, not by their site role alone.

Each relationship-only persona (participant role or none, no TOTP) walks every URL of the permission
matrix: every page outside /accounts/, /static/ and /health sends them to set up TOTP. An ordinary
participant walking the same URLs is never sent there."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from carecommons.accounts.models import Role, User
from carecommons.accounts.reach import declared, second_factor_for
from carecommons.finances import services as finances
from carecommons.finances.models import GroupRole
from carecommons.finances.tests.factories import held, join, make_group
from carecommons.measures.running.services import set_safeguarding_leads
from carecommons.people.models import Person
from carecommons.programmes import services as programmes
from carecommons.programmes.tests.factories import make_cohort, make_programme, make_session
from carecommons.ripples import services as ripples
from conftest import PASSWORD, make_user
from tests.matrix import unique_name
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/health")


def own(user: User) -> Person:
    return Person.objects.get(user=user)


def co_facilitate(user: User) -> None:
    cohort = make_cohort(make_programme(workshops=1))
    programmes.add_facilitator(cohort=cohort, person=own(user), lived_experience_leader=False, by=None)


def facilitate_a_session(user: User) -> None:
    make_session(make_cohort(make_programme(workshops=1)), facilitators=[own(user)])


def lead_safeguarding(user: User) -> None:
    set_safeguarding_leads(programme=make_programme(workshops=1), people=[own(user)], by=None)


def facilitate_a_ripple_round(user: User) -> None:
    ripples.start_round(
        programme=make_programme(workshops=1),
        title="Spring map",
        held_on=timezone.localdate(),
        facilitator=own(user),
        by=None,
    )


def keep_the_money(user: User) -> None:
    join(make_group(unique_name("Reach Group")), user, GroupRole.TREASURER)


def approve_claims(user: User) -> None:
    join(make_group(unique_name("Reach Group")), user, GroupRole.APPROVER)


def staff_a_host(user: User) -> None:
    host = finances.create_host(name=unique_name("Reach Host"), by=None)
    host.staff.add(own(user))


RELATIONSHIPS: dict[str, tuple[list[Role], Callable[[User], None]]] = {
    "co-facilitator": ([Role.PARTICIPANT], co_facilitate),
    "session-facilitator": ([Role.PARTICIPANT], facilitate_a_session),
    "safeguarding-lead": ([Role.PARTICIPANT], lead_safeguarding),
    "round-facilitator": ([Role.PARTICIPANT], facilitate_a_ripple_round),
    "treasurer": ([Role.PARTICIPANT], keep_the_money),
    "approver": ([], approve_claims),
    "host-staff": ([], staff_a_host),
}


def relationship_persona(name: str) -> User:
    roles, give = RELATIONSHIPS[name]
    user = make_user(f"reach-{name}", roles, totp=False)
    give(user)
    return user


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def sent_to_set_up(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_every_page_outside_sign_in_sends_relationship_only_personas_to_set_up() -> None:
    clients = {name: signed_in(relationship_persona(name)) for name in RELATIONSHIPS}
    # The cast's participant: the matrix's targets make them a plain group member and lab member.
    participant = signed_in(make_user("participant", [Role.PARTICIPANT], totp=False))
    wrong: list[str] = []
    exempt_seen = forced_seen = 0
    for name in sorted(MATRIX):
        case = MATRIX[name]
        url = reverse(name, kwargs=case.args())
        exempt = url.startswith(EXEMPT_PREFIXES)
        exempt_seen += exempt
        forced_seen += not exempt
        for persona, client in clients.items():
            if sent_to_set_up(getattr(client, case.method)(url)) == exempt:
                wrong.append(f"{persona} {case.method.upper()} {url} ({name})")
        if sent_to_set_up(getattr(participant, case.method)(url)):
            wrong.append(f"participant {case.method.upper()} {url} ({name})")
    assert wrong == []
    assert exempt_seen > 10 and forced_seen > 100


@pytest.mark.parametrize("name", sorted(RELATIONSHIPS))
def test_each_relationship_alone_requires_a_second_factor(name: str) -> None:
    user = relationship_persona(name)
    assert user.needs_two_factor
    assert sent_to_set_up(signed_in(user).get(reverse("home:index")))


def test_ordinary_participants_and_people_without_a_role_are_not_asked() -> None:
    for name, roles in (("participant", [Role.PARTICIPANT]), ("nobody", [])):
        user = make_user(name, roles, totp=False)
        assert not user.needs_two_factor
        assert signed_in(user).get(reverse("home:index")).status_code == 200


def test_a_plain_group_member_and_a_past_treasurer_are_not_asked() -> None:
    member = make_user("member", [Role.PARTICIPANT], totp=False)
    group = make_group(unique_name("Reach Group"))
    join(group, member)
    past = make_user("past-treasurer", [Role.PARTICIPANT], totp=False)
    join(group, past, GroupRole.TREASURER)
    held(group, GroupRole.TREASURER).filter(person__user=past).update(
        starts_on=timezone.localdate() - timedelta(days=400), ends_on=timezone.localdate() - timedelta(days=1)
    )
    assert not member.needs_two_factor
    assert not past.needs_two_factor


def test_ending_the_relationship_ends_the_requirement() -> None:
    user = relationship_persona("co-facilitator")
    cohort = own(user).facilitator_links.get().cohort
    programmes.remove_facilitator(cohort=cohort, person=own(user), by=None)
    assert signed_in(user).get(reverse("home:index")).status_code == 200


def test_with_totp_set_up_a_relationship_only_persona_goes_on() -> None:
    user = relationship_persona("safeguarding-lead")
    TOTP.activate(user, generate_totp_secret())
    assert signed_in(user).get(reverse("home:index")).status_code == 200


def test_demo_accounts_stay_exempt() -> None:
    user = relationship_persona("treasurer")
    User.objects.filter(pk=user.pk).update(is_demo=True)
    assert signed_in(User.objects.get(pk=user.pk)).get(reverse("home:index")).status_code == 200


def test_the_set_up_step_says_what_the_person_now_reaches() -> None:
    user = relationship_persona("safeguarding-lead")
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    page = client.get(reverse("home:index"), follow=True)
    assert "safeguarding lead" in page.content.decode()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    set_up = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Why we ask" in set_up
    assert "safeguarding lead, so you see its alerts" in set_up


def test_every_app_that_opens_others_records_declares_its_reach() -> None:
    names = {reach.name for reach in declared()}
    assert {
        "cohort_facilitator",
        "session_facilitator",
        "safeguarding_lead",
        "treasurer_or_approver",
        "host_staff",
        "round_facilitator",
    } <= names


def test_what_a_person_reaches_is_read_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user = relationship_persona("host-staff")
    with django_assert_num_queries(1):
        found = second_factor_for(user)
    assert found.needed and not found.has_totp
