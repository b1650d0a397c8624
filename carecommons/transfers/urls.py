from django.urls import path

from carecommons.transfers import views

app_name = "transfers"
urlpatterns = [
    path("import/", views.import_start, name="import_start"),
    path("import/<uuid:batch_id>/", views.import_review, name="import_review"),
    path("export/people.csv", views.export_people, name="export_people"),
    path("export/organisations.csv", views.export_organisations, name="export_organisations"),
]
