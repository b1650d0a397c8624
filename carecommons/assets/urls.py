from django.urls import path

from carecommons.assets import views

app_name = "assets"

urlpatterns = [
    path("lab/<uuid:lab_id>/", views.asset_list, name="asset_list"),
    path("lab/<uuid:lab_id>/new/", views.asset_create, name="asset_create"),
    path("lab/<uuid:lab_id>/moderation/", views.moderation_queue, name="moderation_queue"),
    path("a/<uuid:asset_id>/", views.asset_detail, name="asset_detail"),
    path("a/<uuid:asset_id>/edit/", views.asset_edit, name="asset_edit"),
    path("a/<uuid:asset_id>/moderate/", views.asset_moderate, name="asset_moderate"),
    path("lab/<uuid:lab_id>/assets.geojson", views.export_geojson, name="export_geojson"),
    path("lab/<uuid:lab_id>/assets.csv", views.export_csv, name="export_csv"),
    path("lab/<uuid:lab_id>/hsds.zip", views.export_hsds, name="export_hsds"),
]
