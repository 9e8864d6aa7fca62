"""What a dossier has besides its events: the applicant and the documents handed in.

Personal data stays out of the ledger on purpose: events are evidence, kept forever and
exported; the applicant's name, address and telephone are kept here, editable and erasable
under the personal-data rules, and never copied into an event.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Applicant(models.Model):
    item = models.OneToOneField(
        "ledger.Item", on_delete=models.PROTECT, related_name="applicant", primary_key=True
    )
    name = models.CharField(_("họ tên người nộp / tổ chức"), max_length=255)
    id_number = models.CharField(_("số định danh / CCCD"), max_length=20, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    documents = models.JSONField(
        _("giấy tờ đã nhận"),
        default=list,
        blank=True,
        help_text=_("Tên từng giấy tờ, theo thứ tự."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("người nộp hồ sơ")
        verbose_name_plural = _("người nộp hồ sơ")

    def __str__(self) -> str:
        return self.name
