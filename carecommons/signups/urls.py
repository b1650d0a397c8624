from django.urls import URLPattern

app_name = "signups"
urlpatterns: list[URLPattern] = []
