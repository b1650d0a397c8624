from django.urls import path

from carecommons.groups.views import handover, pages

app_name = "groups"
urlpatterns = [
    path("", pages.group_list, name="group_list"),
    path("new/", pages.group_new, name="group_new"),
    path("invitations/<uuid:membership_id>/", pages.invitation_answer, name="invitation_answer"),
    path("<uuid:group_id>/", pages.group_detail, name="group_detail"),
    path("<uuid:group_id>/join/", pages.group_join, name="group_join"),
    path("<uuid:group_id>/leave/", pages.group_leave, name="group_leave"),
    path("<uuid:group_id>/members/", pages.members, name="members"),
    path("<uuid:group_id>/requests/<uuid:membership_id>/", pages.request_answer, name="request_answer"),
    path("<uuid:group_id>/roles/new/", pages.role_new, name="role_new"),
    path("<uuid:group_id>/roles/<uuid:role_id>/", pages.role_detail, name="role_detail"),
    path("<uuid:group_id>/terms/<uuid:term_id>/end/", pages.term_end, name="term_end"),
    path("<uuid:group_id>/handover/", handover.handover_page, name="handover"),
    path("<uuid:group_id>/handover/plan/new/", handover.plan_new, name="handover_plan_new"),
    path("<uuid:group_id>/handover/steps/add/", handover.step_add, name="handover_step_add"),
    path(
        "<uuid:group_id>/handover/steps/<uuid:step_id>/move/", handover.step_move, name="handover_step_move"
    ),
    path("<uuid:group_id>/handover/seats/add/", handover.seat_add, name="convening_seat_add"),
    path("<uuid:group_id>/handover/seats/<uuid:seat_id>/end/", handover.seat_end, name="convening_seat_end"),
    path(
        "<uuid:group_id>/handover/invitations/add/",
        handover.staff_invitation_add,
        name="staff_invitation_add",
    ),
    path(
        "<uuid:group_id>/handover/invitations/<uuid:invitation_id>/revoke/",
        handover.staff_invitation_revoke,
        name="staff_invitation_revoke",
    ),
]
