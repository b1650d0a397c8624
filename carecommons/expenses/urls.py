from django.urls import path

from carecommons.expenses import views

app_name = "expenses"

urlpatterns = [
    path("<uuid:group_id>/", views.expense_list, name="expense_list"),
    path("<uuid:group_id>/new/", views.expense_create, name="expense_create"),
    path("e/<uuid:expense_id>/", views.expense_detail, name="expense_detail"),
    path("e/<uuid:expense_id>/submit/", views.expense_submit, name="expense_submit"),
    path("e/<uuid:expense_id>/approve/", views.expense_approve, name="expense_approve"),
    path("e/<uuid:expense_id>/reject/", views.expense_reject, name="expense_reject"),
    path("e/<uuid:expense_id>/pay/", views.expense_pay, name="expense_pay"),
    path("e/<uuid:expense_id>/cancel/", views.expense_cancel, name="expense_cancel"),
    path("e/<uuid:expense_id>/receipts/", views.receipt_add, name="receipt_add"),
    path("receipts/<uuid:receipt_id>/", views.receipt_download, name="receipt_download"),
]
