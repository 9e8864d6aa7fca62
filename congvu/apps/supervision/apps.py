from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "congvu.apps.supervision"
    label = "supervision"
    verbose_name = _("Giám sát, phát hiện vi phạm")
