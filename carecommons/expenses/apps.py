from django.apps import AppConfig


class ExpensesConfig(AppConfig):
    name = "carecommons.expenses"
    label = "expenses"
    verbose_name = "Expenses and reimbursements"
