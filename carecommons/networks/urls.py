from django.urls import path

from carecommons.networks import views

app_name = "networks"

urlpatterns = [
    path("lab/<uuid:lab_id>/", views.network_page, name="network_page"),
    path("lab/<uuid:lab_id>/snapshot/", views.take_snapshot, name="take_snapshot"),
    path("lab/<uuid:lab_id>/compare/", views.compare, name="compare"),
    path("s/<uuid:snapshot_id>/", views.snapshot_detail, name="snapshot_detail"),
    path("s/<uuid:snapshot_id>/graph.json", views.snapshot_json, name="snapshot_json"),
    path("s/<uuid:snapshot_id>/network.graphml", views.export_graphml, name="export_graphml"),
    path("s/<uuid:snapshot_id>/kumu.json", views.export_kumu, name="export_kumu"),
    path("s/<uuid:snapshot_id>/nodes.csv", views.export_nodes_csv, name="export_nodes_csv"),
    path("s/<uuid:snapshot_id>/edges.csv", views.export_edges_csv, name="export_edges_csv"),
]
