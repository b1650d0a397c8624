from django.urls import path

from carecommons.ripples import map_views, views

app_name = "ripples"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/<uuid:programme_id>/", views.round_new, name="round_new"),
    path("from-session/<uuid:session_id>/", views.round_from_session, name="round_from_session"),
    path("rounds/<uuid:round_id>/", views.round_detail, name="round_detail"),
    path("rounds/<uuid:round_id>/ripples/", views.round_ripples, name="round_ripples"),
    path("rounds/<uuid:round_id>/add/", views.ripple_add, name="ripple_add"),
    path("rounds/<uuid:round_id>/invite/", views.round_invite, name="round_invite"),
    path("rounds/<uuid:round_id>/close/", views.round_close, name="round_close"),
    path("ripple/<uuid:ripple_id>/", views.ripple_detail, name="ripple_detail"),
    path("ripple/<uuid:ripple_id>/edit/", views.ripple_edit, name="ripple_edit"),
    path("ripple/<uuid:ripple_id>/code/", views.ripple_code, name="ripple_code"),
    path("ripple/<uuid:ripple_id>/second-code/", views.ripple_second_code, name="ripple_second_code"),
    path("ripple/<uuid:ripple_id>/move/", views.ripple_move, name="ripple_move"),
    path("ripple/<uuid:ripple_id>/merge/", views.ripple_merge, name="ripple_merge"),
    path("ripple/<uuid:ripple_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<uuid:evidence_id>/file/", views.evidence_file, name="evidence_file"),
    path("evidence/<uuid:evidence_id>/withdraw/", views.evidence_withdraw, name="evidence_withdraw"),
    path("maps/<uuid:programme_id>/", map_views.map_detail, name="map_detail"),
    path("maps/<uuid:programme_id>/timeline/", map_views.map_timeline, name="map_timeline"),
    path("maps/<uuid:programme_id>/capitals/", map_views.map_capitals, name="map_capitals"),
    path("maps/<uuid:programme_id>/agreement/", map_views.map_agreement, name="map_agreement"),
    path("maps/<uuid:programme_id>/changes/", map_views.map_changes, name="map_changes"),
    path("maps/<uuid:programme_id>/export.csv", map_views.export_csv, name="export_csv"),
    path("maps/<uuid:programme_id>/export.graphml", map_views.export_graphml, name="export_graphml"),
    path("maps/<uuid:programme_id>/export.kumu.json", map_views.export_kumu, name="export_kumu"),
]
