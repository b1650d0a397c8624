"""Everything under /money/ except claims and statements: the books' own pages from `finances`,
and the pages above the three money apps from `money`. They keep the `finances` namespace, so every
URL name (`finances:host_detail`, `finances:transaction_reverse`) and path stays as it was."""

from django.urls import path

from carecommons.finances import urls as books
from carecommons.money import views

app_name = books.app_name

urlpatterns = [
    *books.urlpatterns,
    path(
        "<uuid:group_id>/ledger/<uuid:transaction_id>/reverse/",
        views.transaction_reverse,
        name="transaction_reverse",
    ),
    path("host/<uuid:host_id>/", views.host_detail, name="host_detail"),
]
