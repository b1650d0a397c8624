from django.urls import URLPattern

app_name = "calendars"
urlpatterns: list[URLPattern] = []
