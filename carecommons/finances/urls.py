"""The books' own pages. Included through `carecommons/money/urls.py`, which adds the pages that
combine the books with claims and statements under the same `finances` namespace."""

from django.urls import path

from carecommons.finances.views import books, budgets, export, public, setup, starting

app_name = "finances"

urlpatterns = [
    path("", books.my_groups, name="my_groups"),
    path("<uuid:group_id>/", books.group_detail, name="group_detail"),
    path("<uuid:group_id>/ledger/", books.ledger, name="ledger"),
    path(
        "<uuid:group_id>/ledger/<uuid:transaction_id>/", books.transaction_detail, name="transaction_detail"
    ),
    path("<uuid:group_id>/income/", setup.income_new, name="income_new"),
    path("<uuid:group_id>/accounts/", setup.accounts, name="accounts"),
    path("<uuid:group_id>/members/", setup.members, name="members"),
    path("<uuid:group_id>/members/<uuid:membership_id>/end/", setup.member_end, name="member_end"),
    path("<uuid:group_id>/rules/", setup.policy, name="policy"),
    path("<uuid:group_id>/budgets/", budgets.budgets, name="budgets"),
    path("open/<slug:slug>/", public.public_page, name="public_page"),
    path("host/<uuid:host_id>/groups/new/", starting.group_new, name="group_new"),
    path("host/<uuid:host_id>/groups/import/", starting.groups_import, name="groups_import"),
    path("<uuid:group_id>/export.json", export.export_json, name="export_json"),
    path("<uuid:group_id>/export.csv", export.export_csv, name="export_csv"),
]
