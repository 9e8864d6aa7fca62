from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "congvu.apps.web"
    label = "web"
