from django.urls import path

app_name = "transfers"
urlpatterns: list = [
    path("import/", lambda request: None, name="import_start"),
]
