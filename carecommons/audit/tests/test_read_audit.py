"""Every page that shows personal data records who read it. Each GET page of the permission matrix
is either here with the action it records, or listed as showing none, with the reason; so a new page
cannot be forgotten."""

import pytest
from django.test import Client
from django.urls import reverse

from carecommons.audit.models import AuditEvent
from conftest import PERSONAS, make_user
from tests.test_permission_matrix import MATRIX

AUDITED_READS = {
    "people:person_detail": "person.viewed",
    "people:person_edit": "person.edit_viewed",
    "people:person_list": "person.list_viewed",
    "people:duplicate_list": "person.duplicates_viewed",
    "people:person_merge": "person.merge_viewed",
    "people:person_account": "person.account_viewed",
    "people:person_audit": "person.audit_viewed",
    "people:own_data": "person.own_data_viewed",
    "people:own_data_download": "person.own_data_downloaded",
    "people:erasure_list": "person.erasure_requests_listed",
    "people:erasure_detail": "person.erasure_request_viewed",
    "transfers:import_review": "import.review_viewed",
    "transfers:export_people": "export.people",
    "transfers:export_organisations": "export.organisations",
    "audit:event_list": "audit.log_viewed",
    "programmes:cohort_detail": "cohort.members_viewed",
    "programmes:register": "session.register_viewed",
    "programmes:closing_report": "session.report_viewed",
    "signups:applications": "signup.applications_viewed",
    "learningsets:set_list": "learningset.list_viewed",
    "learningsets:set_detail": "learningset.viewed",
    "learningsets:set_members": "learningset.members_viewed",
    "learningsets:meeting_detail": "learningset.meeting_viewed",
    "groups:group_detail": "groups.viewed",
    "groups:members": "groups.members_viewed",
    "groups:role_detail": "groups.role_viewed",
    "guests:session_guests": "guest.list_viewed",
    "groups:handover": "groups.handover_viewed",
    "dashboards:programme_dashboard_csv": "dashboard.exported",
    "measures:alert_detail": "safeguarding.alert_viewed",
    "measures:alert_list": "safeguarding.alert_list_viewed",
    "measures:cohort_measures": "measures.cohort_status_viewed",
    "measures:response_detail": "measures.response_viewed",
    "measures:export_csv": "measures.exported",
    "measures:paper_entry": "measures.paper_entry_viewed",
    "measures:my_progress": "measures.own_progress_viewed",
    "listening:conversation_detail": "listening.conversation_viewed",
    "listening:conversation_edit": "listening.conversation_edit_viewed",
    "listening:conversation_list": "listening.conversation_list_viewed",
    "listening:follow_ups": "listening.follow_ups_viewed",
    "listening:issue_detail": "listening.issue_viewed",
    "listening:theme_detail": "listening.theme_viewed",
    "listening:untagged": "listening.untagged_viewed",
    "assets:export_csv": "export.assets_csv",
    "assets:export_geojson": "export.assets_geojson",
    "assets:export_hsds": "export.assets_hsds",
    "networks:network_page": "network.viewed",
    "networks:snapshot_detail": "network.snapshot_viewed",
    "networks:compare": "network.compared",
    "networks:export_edges_csv": "network.exported",
    "networks:export_graphml": "network.exported",
    "networks:export_kumu": "network.exported",
    "networks:export_nodes_csv": "network.exported",
    "networks:snapshot_json": "network.exported",
    "finances:ledger": "finances.ledger_viewed",
    "finances:transaction_detail": "finances.transaction_viewed",
    "finances:members": "finances.members_viewed",
    "finances:export_csv": "finances.ledger_exported",
    "finances:export_json": "finances.ledger_exported",
    "expenses:expense_list": "expenses.list_viewed",
    "expenses:expense_detail": "expenses.expense_viewed",
    "expenses:receipt_download": "expenses.receipt_downloaded",
    "statements:statement_detail": "statements.lines_viewed",
    "statements:statement_review": "statements.lines_viewed",
    "statements:line_match": "statements.line_viewed",
    "initiatives:initiative_list": "initiatives.list_viewed",
    "initiatives:initiative_detail": "initiatives.viewed",
    "decisions:decision_list": "decisions.list_viewed",
    "decisions:decision_detail": "decisions.viewed",
    "decisions:vote_record": "decisions.record_viewed",
    "trials:trial_detail": "trial.viewed",
    "trials:participant_list": "trial.people_viewed",
    "trials:participant_detail": "trial.participant_viewed",
    "trials:screen": "trial.screening_form_viewed",
    "trials:sequence": "trial.secret_viewed",
    "trials:report_html": "trial.report_read",
    "trials:report_pdf": "trial.report_read",
    "ripples:round_detail": "ripples.round_viewed",
    "ripples:round_ripples": "ripples.round_viewed",
    "ripples:ripple_add": "ripples.round_viewed",
    "ripples:round_invite": "ripples.invitees_viewed",
    "ripples:ripple_detail": "ripples.ripple_viewed",
    "ripples:ripple_edit": "ripples.ripple_form_viewed",
    "ripples:ripple_code": "ripples.ripple_form_viewed",
    "ripples:ripple_second_code": "ripples.ripple_form_viewed",
    "ripples:ripple_move": "ripples.ripple_form_viewed",
    "ripples:ripple_merge": "ripples.ripple_form_viewed",
    "ripples:evidence_add": "ripples.evidence_form_viewed",
    "ripples:evidence_file": "ripples.evidence_file_read",
    "ripples:evidence_withdraw": "ripples.evidence_viewed",
    "ripples:map_detail": "ripples.map_viewed",
    "ripples:map_timeline": "ripples.timeline_viewed",
    "ripples:map_capitals": "ripples.capitals_viewed",
    "ripples:map_agreement": "ripples.agreement_viewed",
    "ripples:map_changes": "ripples.changes_viewed",
    "ripples:export_csv": "ripples.exported",
    "ripples:export_graphml": "ripples.exported",
    "ripples:export_kumu": "ripples.exported",
}

SIGN_IN = "allauth's own pages: the signed-in person's own account, or none"
BLANK_FORM = "a form to create something; it shows nobody's details"
SETUP = (
    "set-up of a programme, cohort, session, wave, trial or ledger: names, dates and rules, no one's details"
)
NAMES_ONLY = "a form or confirmation naming one person, reached from an audited page that shows them"
STAFF = "names staff in their roles (facilitators, leads), nothing about the people served"
AGGREGATE = "counts and figures only; small numbers are hidden"
GROUP_CHOICES = "a form naming the group's members as choices; members see the same names on audited pages"
OWN_LINK = "the person's own questionnaire through their private link, while they answer it"

SHOWS_NO_PERSONAL_DATA = {
    **dict.fromkeys(
        [
            "account_change_password",
            "account_confirm_email",
            "account_confirm_login_code",
            "account_email",
            "account_email_verification_sent",
            "account_inactive",
            "account_login",
            "account_logout",
            "account_reauthenticate",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "account_set_password",
            "account_signup",
            "mfa_activate_totp",
            "mfa_authenticate",
            "mfa_deactivate_totp",
            "mfa_download_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_index",
            "mfa_reauthenticate",
            "mfa_view_recovery_codes",
            "people:own_consent",
            "calendars:feed_settings",
        ],
        SIGN_IN,
    ),
    **dict.fromkeys(
        [
            "people:person_create",
            "people:organisation_create",
            "assets:asset_create",
            "listening:conversation_create",
            "listening:issue_create",
            "listening:theme_create",
            "learningsets:set_create",
            "learningsets:meeting_create",
            "groups:group_new",
            "groups:role_new",
            "programmes:programme_create",
            "programmes:cohort_create",
            "programmes:session_create",
            "measures:wave_create",
            "transfers:import_start",
            "statements:statement_upload",
            "expenses:expense_create",
            "initiatives:update_create",
            "initiatives:need_create",
            "finances:group_new",
            "finances:groups_import",
            "finances:income_new",
            "people:erasure_ask",
            "groups:handover_plan_new",
            "groups:handover_step_add",
            "decisions:propose",
            "decisions:decision_create",
        ],
        BLANK_FORM,
    ),
    **dict.fromkeys(
        [
            "programmes:programme_list",
            "programmes:programme_detail",
            "programmes:programme_edit",
            "programmes:cohort_edit",
            "programmes:session_edit",
            "programmes:material_add",
            "programmes:material_download",
            "measures:wave_list",
            "measures:wave_edit",
            "measures:wave_delete",
            "measures:cohort_change",
            "measures:export",
            "measures:export_dictionary",
            "measures:signposting",
            "finances:accounts",
            "finances:budgets",
            "finances:policy",
            "finances:my_groups",
            "finances:group_detail",
            "listening:lab_list",
            "listening:ladder",
            "listening:theme_list",
            "statements:statement_list",
            "signups:questions",
            "calendars:session_ics",
            "calendars:feed",
            "home:health",
            "groups:handover_step_move",
        ],
        SETUP,
    ),
    **dict.fromkeys(
        [
            "people:consent_add",
            "people:affiliation_add",
            "people:relationship_add",
            "finances:member_end",
            "groups:term_end",
            "expenses:expense_cancel",
            "guests:revoke",
            "groups:convening_seat_end",
            "groups:staff_invitation_revoke",
            "signups:withdraw",
            "signups:offer_response",
            "signups:signup_done",
            "initiatives:initiative_join",
            "initiatives:need_volunteer",
            "initiatives:action_follow_up",
            "decisions:objection_resolve",
        ],
        NAMES_ONLY,
    ),
    **dict.fromkeys(
        [
            "programmes:session_detail",
            "programmes:facilitator_add",
            "measures:safeguarding_leads",
            "groups:convening_seat_add",
            "groups:staff_invitation_add",
        ],
        STAFF,
    ),
    **dict.fromkeys(
        [
            "dashboards:programme_dashboard",
            "measures:outcomes",
            "finances:public_page",
            "finances:host_detail",
            "people:organisation_list",
            "people:organisation_detail",
            "people:organisation_edit",
            "home:index",
        ],
        AGGREGATE,
    ),
    **dict.fromkeys(
        ["measures:answer_start", "measures:answer_instrument", "measures:answer_done"], OWN_LINK
    ),
    "programmes:enrol_add": "a form to add a member; the cohort's member list is on the audited cohort page",
    "signups:cohort_signup": "the public sign-up form; it shows only what the applicant types",
    "guests:guest_entry": "what an invited guest sees of their session; each visit records guest.visited",
    "guests:guest_material": "a session handout for an invited guest",
    "groups:group_list": "the signed-in person's own groups, invitations and requests; nobody else's name",
    "groups:group_join": "a group's name and purpose, for someone asking to join; no member is named",
    "groups:invitation_answer": "the signed-in person's own invitation: the group and who invited them",
    "groups:group_leave": "a confirmation to leave one's own group; it names nobody",
    "assets:asset_list": "community assets; individuals' gifts show no one's name or place",
    "assets:asset_edit": "an asset's own details; linked people are read on the audited asset page",
    "assets:asset_moderate": "a suggested asset's own details",
    "assets:moderation_queue": "suggested assets waiting for a decision",
    "decisions:decision_close": "a confirmation naming the decision; its votes are on the audited page",
    "decisions:outcome_state": "the group's own statement of what it decided; votes are on the audited page",
    "decisions:decision_ics": "the time a poll chose, as a calendar file; it names nobody",
    "assets:asset_detail": "records asset.viewed whenever the asset has people linked (assets' own tests)",
    **dict.fromkeys(["initiatives:initiative_create", "initiatives:action_create"], GROUP_CHOICES),
    "initiatives:initiative_status": "an initiative's status and title only",
    "trials:trial_list": "trials' titles, programmes and states; nobody's details",
    "trials:trial_create": BLANK_FORM,
    "trials:choose_programme": "programmes' names, to define a trial on one; nobody's details",
    **dict.fromkeys(["trials:trial_edit", "trials:plan_edit", "trials:cohort_allocate"], SETUP),
    **dict.fromkeys(
        ["trials:plan_lock", "trials:open_live", "trials:close_recruitment", "trials:clear_test_list"],
        "a confirmation of a step in a trial's life: the trial's name, nobody's details",
    ),
    **dict.fromkeys(["trials:allocate", "trials:discontinue"], NAMES_ONLY),
    "trials:report_request": "asks for a report by POST; a GET goes back to the trial's page",
    "trials:report_detail": "a report's progress and links; reading the report records trial.report_read",
    "ripples:round_list": "the rounds a person is in: programme names and dates, nobody's details",
    "ripples:round_new": "a form to start a round: the programme's name",
    "ripples:round_from_session": "a confirmation to start a round: the session's title and day",
    "ripples:round_close": "a confirmation to close a round: its name and date",
}


# The matrix's target for these is someone else; only the person themselves may read them.
OWN_PAGES = {"people:own_data", "people:own_data_download"}


def get_pages() -> set[str]:
    return {name for name, case in MATRIX.items() if case.method == "get"}


def test_every_page_is_either_audited_or_shows_no_personal_data() -> None:
    assert set(AUDITED_READS).isdisjoint(SHOWS_NO_PERSONAL_DATA)
    assert sorted(get_pages() - set(AUDITED_READS) - set(SHOWS_NO_PERSONAL_DATA)) == []
    assert sorted((set(AUDITED_READS) | set(SHOWS_NO_PERSONAL_DATA)) - get_pages()) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(AUDITED_READS))
def test_reading_a_page_with_personal_data_records_who_read_it(name: str) -> None:
    case = MATRIX[name]
    persona = next((p for p in PERSONAS if case.expected(p) == 200), "participant")
    user = make_user(persona, PERSONAS[persona])
    client = Client()
    client.force_login(user)
    kwargs = {"person_id": user.person.uuid} if name in OWN_PAGES else case.args()
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(actor=user, action=AUDITED_READS[name]).exists()
