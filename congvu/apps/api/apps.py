from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "congvu.apps.api"
    label = "api"
