from django.urls import path

from carecommons.guests import views

app_name = "guests"
urlpatterns = [
    path("session/<uuid:session_id>/", views.session_guests, name="session_guests"),
    path("invitation/<uuid:invitation_id>/revoke/", views.revoke, name="revoke"),
    path("visit/<str:token>/", views.guest_entry, name="guest_entry"),
    path("visit/<str:token>/material/<uuid:material_id>/", views.guest_material, name="guest_material"),
]
