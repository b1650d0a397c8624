from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carecommons.accounts"
    label = "accounts"

    def ready(self) -> None:
        from carecommons.accounts import receivers  # noqa: F401
