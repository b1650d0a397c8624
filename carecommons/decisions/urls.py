from django.urls import path

from carecommons.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("propose/", views.propose, name="propose"),
    path("propose/<slug:kind>/", views.decision_create, name="decision_create"),
    path("<uuid:decision_id>/", views.decision_detail, name="decision_detail"),
    path("<uuid:decision_id>/record/", views.vote_record, name="vote_record"),
    path("<uuid:decision_id>/close/", views.decision_close, name="decision_close"),
    path("<uuid:decision_id>/outcome/", views.outcome_state, name="outcome_state"),
    path(
        "<uuid:decision_id>/objections/<uuid:objection_id>/resolve/",
        views.objection_resolve,
        name="objection_resolve",
    ),
    path("<uuid:decision_id>/chosen-time.ics", views.decision_ics, name="decision_ics"),
]
