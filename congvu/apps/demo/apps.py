from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "congvu.apps.demo"
    label = "demo"
