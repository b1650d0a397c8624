from django.urls import path

from carecommons.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("new/", views.programme_create, name="programme_create"),
    path("<uuid:programme_id>/", views.programme_detail, name="programme_detail"),
    path("<uuid:programme_id>/edit/", views.programme_edit, name="programme_edit"),
    path("<uuid:programme_id>/curriculum/", views.curriculum_add, name="curriculum_add"),
    path("<uuid:programme_id>/cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<uuid:cohort_id>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<uuid:cohort_id>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<uuid:cohort_id>/facilitators/", views.facilitator_add, name="facilitator_add"),
    path(
        "cohorts/<uuid:cohort_id>/facilitators/<uuid:person_id>/remove/",
        views.facilitator_remove,
        name="facilitator_remove",
    ),
    path("cohorts/<uuid:cohort_id>/members/", views.enrol_add, name="enrol_add"),
    path("cohorts/<uuid:cohort_id>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<uuid:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<uuid:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<uuid:session_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<uuid:session_id>/register/", views.register, name="register"),
    path("sessions/<uuid:session_id>/report/", views.closing_report, name="closing_report"),
    path("sessions/<uuid:session_id>/materials/", views.material_add, name="material_add"),
    path("materials/<uuid:material_id>/", views.material_download, name="material_download"),
    path("materials/<uuid:material_id>/remove/", views.material_remove, name="material_remove"),
]
