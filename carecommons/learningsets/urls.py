from django.urls import URLPattern

app_name = "learningsets"
urlpatterns: list[URLPattern] = []
