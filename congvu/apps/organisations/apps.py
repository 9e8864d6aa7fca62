from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "congvu.apps.organisations"
    label = "organisations"
