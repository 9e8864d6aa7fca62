"""The procedure catalog (TTHC): legal time limits, internal steps, required documents.

The fields of interchange.md "Procedure catalog (v1)" map one to one onto ``Procedure`` and
``ProcedureStep``; ``fee_note``, the required documents (``ProcedureDocument``), the responsible
officials and ``is_active`` are kept here only (CSV, admin, public pages), never in v1 JSON.
Durations are a Decimal amount (halves allowed) and a unit; the rules (positive, whole or half
units, step budgets within the limit) are the domain's (``congvu.domain.procedures``).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.apps.organisations.models import Role
from congvu.apps.procedures.display import duration_text, money_text

AMOUNT = {"max_digits": 6, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0.5"))]}


class DurationUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class Procedure(models.Model):
    """One administrative procedure (thủ tục hành chính) of the catalog."""

    class Level(models.TextChoices):
        CENTRAL = "central", _("Cấp trung ương")
        PROVINCE = "province", _("Cấp tỉnh")
        COMMUNE = "commune", _("Cấp xã")
        DISTRICT = "district", _("Cấp huyện (trước 01/07/2025)")

    code = models.CharField(
        _("mã thủ tục"),
        max_length=40,
        unique=True,
        help_text=_("Mã trên Cổng Dịch vụ công quốc gia, ví dụ 1.001193."),
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    level = models.CharField(_("cấp thực hiện"), max_length=16, choices=Level.choices, blank=True)
    field = models.CharField(_("lĩnh vực"), max_length=200, blank=True, db_index=True)
    time_limit_amount = models.DecimalField(
        _("thời hạn giải quyết"),
        help_text=_("Số nguyên hoặc nửa đơn vị (0,5)."),
        **AMOUNT,
    )
    time_limit_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=DurationUnit.choices
    )
    fee = models.DecimalField(
        _("phí, lệ phí (đồng)"),
        max_digits=15,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("0 nếu không thu hoặc mức thu do địa phương quy định (ghi rõ ở ghi chú)."),
    )
    fee_note = models.CharField(_("ghi chú phí, lệ phí"), max_length=300, blank=True)
    legal_basis = models.JSONField(
        _("căn cứ pháp lý"), default=list, blank=True, help_text=_("Mỗi văn bản một dòng.")
    )
    related_units = models.JSONField(
        _("đơn vị liên quan"),
        default=list,
        blank=True,
        help_text=_(
            "Mã các đơn vị được lấy ý kiến (ngoài đơn vị giải quyết và các đơn vị cấp trên)."
        ),
    )
    officials = models.ManyToManyField(
        "organisations.Official",
        verbose_name=_("cán bộ chịu trách nhiệm"),
        blank=True,
        related_name="procedures",
        help_text=_("Được công khai trên trang tra cứu thủ tục."),
    )
    search_text = models.CharField(max_length=600, editable=False, default="")
    is_active = models.BooleanField(
        _("đang áp dụng"),
        default=True,
        help_text=_("Bỏ chọn khi thủ tục bị bãi bỏ; hồ sơ cũ vẫn dùng thời hạn đã lưu."),
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        indexes = [models.Index(fields=["is_active", "level"])]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def time_limit_text(self) -> str:
        return duration_text(self.time_limit_unit, self.time_limit_amount)

    @property
    def fee_text(self) -> str:
        return money_text(self.fee)


class ProcedureStep(models.Model):
    """One internal process step of a procedure, in order, with its time budget."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã bước"), max_length=40)
    name = models.CharField(_("tên bước"), max_length=300)
    role = models.CharField(_("vai trò thực hiện"), max_length=24, choices=Role.choices)
    budget_amount = models.DecimalField(_("thời gian"), **AMOUNT)
    budget_unit = models.CharField(_("đơn vị"), max_length=16, choices=DurationUnit.choices)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ["procedure", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "code"], name="procedurestep_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def budget_text(self) -> str:
        return duration_text(self.budget_unit, self.budget_amount)


class ProcedureDocument(models.Model):
    """One required document (thành phần hồ sơ) of a procedure, in order."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="documents"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=1)
    copies = models.PositiveSmallIntegerField(_("số bản sao"), default=0)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["procedure", "order", "pk"]

    def __str__(self) -> str:
        return self.name
