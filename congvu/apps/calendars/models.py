from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Calendar(models.Model):
    """A working-time calendar. A unit's calendar may inherit from a base (the national one)
    and add its own exceptions, e.g. a commune's local day off."""

    code = models.CharField(_("mã lịch"), max_length=40, unique=True)
    name = models.CharField(_("tên lịch"), max_length=200)
    base = models.ForeignKey(
        "self",
        verbose_name=_("lịch gốc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
        help_text=_(
            "Lịch này kế thừa mọi ngày nghỉ, ngày làm bù của lịch gốc và bổ sung ngoại lệ."
        ),
    )
    first_year = models.PositiveSmallIntegerField(
        _("từ năm"), null=True, blank=True, help_text=_("Để trống: theo lịch gốc.")
    )
    last_year = models.PositiveSmallIntegerField(
        _("đến năm"), null=True, blank=True, help_text=_("Để trống: theo lịch gốc.")
    )
    morning_start = models.TimeField(_("sáng bắt đầu"), default=dt.time(7, 30))
    morning_end = models.TimeField(_("sáng kết thúc"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("chiều bắt đầu"), default=dt.time(13, 0))
    afternoon_end = models.TimeField(_("chiều kết thúc"), default=dt.time(17, 0))
    description = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("lịch làm việc")
        verbose_name_plural = _("lịch làm việc")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError(
                _(
                    "Giờ làm việc phải theo thứ tự: sáng bắt đầu < sáng kết thúc"
                    " ≤ chiều bắt đầu < chiều kết thúc."
                )
            )
        if self.base_id is None and (self.first_year is None or self.last_year is None):
            raise ValidationError(_("Lịch không có lịch gốc phải ghi rõ từ năm và đến năm."))
        if self.first_year and self.last_year and self.first_year > self.last_year:
            raise ValidationError(_("Từ năm phải nhỏ hơn hoặc bằng đến năm."))


class CalendarDay(models.Model):
    """An exception to the weekly pattern: a day off on a weekday, or a make-up working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("lịch"), on_delete=models.CASCADE, related_name="days"
    )
    day = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)
    estimated = models.BooleanField(
        _("dự kiến"), default=False, help_text=_("Chưa có thông báo chính thức; cần kiểm tra lại.")
    )

    class Meta:
        verbose_name = _("ngày ngoại lệ")
        verbose_name_plural = _("ngày nghỉ, ngày làm bù")
        ordering = ["calendar", "day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="calendarday_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"
