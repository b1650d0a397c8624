from django.urls import path

from carecommons.people import own_data_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path("<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("<uuid:person_id>/edit/", views.person_edit, name="person_edit"),
    path("<uuid:person_id>/consent/", views.consent_add, name="consent_add"),
    path("<uuid:person_id>/affiliations/", views.affiliation_add, name="affiliation_add"),
    path(
        "<uuid:person_id>/affiliations/<int:affiliation_id>/remove/",
        views.affiliation_remove,
        name="affiliation_remove",
    ),
    path("<uuid:person_id>/relationships/", views.relationship_add, name="relationship_add"),
    path(
        "<uuid:person_id>/relationships/<int:relationship_id>/remove/",
        views.relationship_remove,
        name="relationship_remove",
    ),
    path("<uuid:person_id>/merge/", views.person_merge, name="person_merge"),
    path("<uuid:person_id>/audit/", views.person_audit, name="person_audit"),
    path("<uuid:person_id>/account/", views.person_account, name="person_account"),
    path("<uuid:person_id>/my-choices/", views.own_consent, name="own_consent"),
    path("<uuid:person_id>/my-data/", own_data_views.own_data, name="own_data"),
    path("<uuid:person_id>/my-data.json", own_data_views.own_data_download, name="own_data_download"),
    path("<uuid:person_id>/erase/", own_data_views.erasure_ask, name="erasure_ask"),
    path("erasure-requests/", own_data_views.erasure_list, name="erasure_list"),
    path("erasure-requests/<uuid:request_id>/", own_data_views.erasure_detail, name="erasure_detail"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:org_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:org_id>/edit/", views.organisation_edit, name="organisation_edit"),
]
