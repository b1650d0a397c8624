from django.urls import path

from carecommons.home import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
    path("health", views.health, name="health"),
]
