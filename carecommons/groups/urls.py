from django.urls import path

from carecommons.groups.views import handover

app_name = "groups"
urlpatterns = [
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
