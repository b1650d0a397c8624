from django.urls import path

from carecommons.statements import views

app_name = "statements"

urlpatterns = [
    path("<uuid:group_id>/", views.statement_list, name="statement_list"),
    path("<uuid:group_id>/import/", views.statement_upload, name="statement_upload"),
    path("<uuid:group_id>/<uuid:statement_id>/", views.statement_detail, name="statement_detail"),
    path("<uuid:group_id>/<uuid:statement_id>/check/", views.statement_review, name="statement_review"),
    path("<uuid:group_id>/<uuid:statement_id>/suggest/", views.suggest_again, name="suggest_again"),
    path(
        "<uuid:group_id>/<uuid:statement_id>/lines/<int:line_id>/confirm/",
        views.match_confirm,
        name="match_confirm",
    ),
    path(
        "<uuid:group_id>/<uuid:statement_id>/lines/<int:line_id>/reject/",
        views.match_reject,
        name="match_reject",
    ),
    path(
        "<uuid:group_id>/<uuid:statement_id>/lines/<int:line_id>/match/", views.line_match, name="line_match"
    ),
]
