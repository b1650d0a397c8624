from django.urls import path

from carecommons.initiatives import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list, name="initiative_list"),
    path("new/", views.initiative_create, name="initiative_create"),
    path("<uuid:initiative_id>/", views.initiative_detail, name="initiative_detail"),
    path("<uuid:initiative_id>/status/", views.initiative_status, name="initiative_status"),
    path("<uuid:initiative_id>/join/", views.initiative_join, name="initiative_join"),
    path("<uuid:initiative_id>/actions/new/", views.action_create, name="action_create"),
    path("<uuid:initiative_id>/actions/<uuid:action_id>/", views.action_follow_up, name="action_follow_up"),
    path("<uuid:initiative_id>/updates/new/", views.update_create, name="update_create"),
    path("<uuid:initiative_id>/needs/new/", views.need_create, name="need_create"),
    path("<uuid:initiative_id>/needs/<uuid:need_id>/volunteer/", views.need_volunteer, name="need_volunteer"),
]
