from django.urls import path

from carecommons.signups import views

app_name = "signups"
urlpatterns = [
    path("<uuid:cohort_id>/", views.cohort_signup, name="cohort_signup"),
    path("<uuid:cohort_id>/thanks/", views.signup_done, name="signup_done"),
    path("offer/<str:token>/", views.offer_response, name="offer_response"),
    path("cohort/<uuid:cohort_id>/applications/", views.applications, name="applications"),
    path("cohort/<uuid:cohort_id>/questions/", views.questions, name="questions"),
    path("application/<uuid:enrolment_id>/decide/", views.decide, name="decide"),
    path("application/<uuid:enrolment_id>/withdraw/", views.withdraw, name="withdraw"),
]
