from django.urls import path

from carecommons.trials import views

app_name = "trials"
urlpatterns = [
    path("", views.trial_list, name="trial_list"),
    path("new/", views.choose_programme, name="choose_programme"),
    path("new/<uuid:programme_id>/", views.trial_create, name="trial_create"),
    path("<uuid:trial_id>/", views.trial_detail, name="trial_detail"),
    path("<uuid:trial_id>/edit/", views.trial_edit, name="trial_edit"),
    path("<uuid:trial_id>/plan/", views.plan_edit, name="plan_edit"),
    path("<uuid:trial_id>/plan/lock/", views.plan_lock, name="plan_lock"),
    path("<uuid:trial_id>/live/", views.open_live, name="open_live"),
    path("<uuid:trial_id>/close/", views.close_recruitment, name="close_recruitment"),
    path("<uuid:trial_id>/test-list/clear/", views.clear_test_list, name="clear_test_list"),
    path("<uuid:trial_id>/people/", views.participant_list, name="participant_list"),
    path("<uuid:trial_id>/people/screen/", views.screen, name="screen"),
    path(
        "<uuid:trial_id>/people/<uuid:participant_id>/", views.participant_detail, name="participant_detail"
    ),
    path("<uuid:trial_id>/people/<uuid:participant_id>/allocate/", views.allocate, name="allocate"),
    path("<uuid:trial_id>/people/<uuid:participant_id>/discontinue/", views.discontinue, name="discontinue"),
    path("<uuid:trial_id>/cohorts/<uuid:cohort_id>/allocate/", views.cohort_allocate, name="cohort_allocate"),
    path("<uuid:trial_id>/sequence/", views.sequence, name="sequence"),
    path("<uuid:trial_id>/reports/", views.report_request, name="report_request"),
    path("<uuid:trial_id>/reports/<uuid:report_id>/", views.report_detail, name="report_detail"),
    path("<uuid:trial_id>/reports/<uuid:report_id>/report.html", views.report_html, name="report_html"),
    path("<uuid:trial_id>/reports/<uuid:report_id>/report.pdf", views.report_pdf, name="report_pdf"),
]
