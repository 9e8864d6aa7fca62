from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "congvu.apps.calendars"
    label = "calendars"
