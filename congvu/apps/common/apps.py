from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "congvu.apps.common"
    label = "common"
