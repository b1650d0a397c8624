from django.urls import path

from carecommons.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("session/<uuid:session_id>.ics", views.session_ics, name="session_ics"),
]
