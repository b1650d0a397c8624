from django.urls import path

from carecommons.measures.views import answering, export, progress, safeguarding, setup

app_name = "measures"

urlpatterns = [
    # Answering: private invitation links, paper entry, and the crisis page anyone can open.
    path("a/<uuid:invitation_id>/<str:token>/", answering.answer_start, name="answer_start"),
    path("a/<uuid:invitation_id>/<str:token>/done/", answering.answer_done, name="answer_done"),
    path(
        "a/<uuid:invitation_id>/<str:token>/<str:instrument>/",
        answering.answer_instrument,
        name="answer_instrument",
    ),
    path("support/", answering.signposting, name="signposting"),
    path("cohort/<uuid:cohort_id>/", answering.cohort_measures, name="cohort_measures"),
    path("cohort/<uuid:cohort_id>/invite/", answering.invite_person, name="invite_person"),
    path("paper/<uuid:invitation_id>/<str:instrument>/", answering.paper_entry, name="paper_entry"),
    # Set-up by convenors: waves and safeguarding leads.
    path("programme/<uuid:programme_id>/", setup.wave_list, name="wave_list"),
    path("programme/<uuid:programme_id>/waves/new/", setup.wave_create, name="wave_create"),
    path("waves/<uuid:wave_id>/edit/", setup.wave_edit, name="wave_edit"),
    path("waves/<uuid:wave_id>/delete/", setup.wave_delete, name="wave_delete"),
    path("programme/<uuid:programme_id>/leads/", setup.safeguarding_leads, name="safeguarding_leads"),
    # Safeguarding alerts and their follow-ups.
    path("alerts/", safeguarding.alert_list, name="alert_list"),
    path("alerts/<uuid:alert_id>/", safeguarding.alert_detail, name="alert_detail"),
    # Progress and outcomes.
    path("mine/", progress.my_progress, name="my_progress"),
    path("responses/<uuid:response_id>/", progress.response_detail, name="response_detail"),
    path("cohort/<uuid:cohort_id>/change/", progress.cohort_change, name="cohort_change"),
    path("outcomes/", progress.outcomes, name="outcomes"),
    # Evaluation export.
    path("export/", export.export_page, name="export"),
    path("export/answers.csv", export.export_csv, name="export_csv"),
    path("export/dictionary.csv", export.export_dictionary, name="export_dictionary"),
]
