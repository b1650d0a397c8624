from django.urls import path

from carecommons.groups.views import pages

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
]
