from django.urls import path

from carecommons.learningsets import views

app_name = "learningsets"
urlpatterns = [
    path("cohort/<uuid:cohort_id>/", views.set_list, name="set_list"),
    path("cohort/<uuid:cohort_id>/new/", views.set_create, name="set_create"),
    path("<uuid:set_id>/", views.set_detail, name="set_detail"),
    path("<uuid:set_id>/members/", views.set_members, name="set_members"),
    path("<uuid:set_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("meeting/<uuid:meeting_id>/", views.meeting_detail, name="meeting_detail"),
]
