from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "congvu.apps.accounts"
    label = "accounts"
