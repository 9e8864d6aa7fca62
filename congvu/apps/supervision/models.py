"""Findings of the supervision rules, their justifications, and the thresholds configuration.

A ``Finding`` is derived from the ledger by the pure rules (``congvu.domain.supervision``) and
kept: a later check that no longer reports it (an ``OVERDUE`` dossier that has since been
resolved) marks it ``lapsed_at`` — it is never deleted, because a justification, an alert or
a report may point at it. The evidence itself stays in the ledger; a finding names the
``seq`` numbers of the events that prove it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congvu.domain.supervision import Severity


class Finding(models.Model):
    """One violation of one rule by one work item (``congvu.domain.supervision.Finding``)."""

    class SeverityChoice(models.TextChoices):
        HIGH = Severity.HIGH.value, _("cao")
        MEDIUM = Severity.MEDIUM.value, _("trung bình")
        LOW = Severity.LOW.value, _("thấp")

    class Review(models.TextChoices):
        """Where the finding's justification stands (the latest one counts)."""

        NONE = "", _("Chưa giải trình")
        PENDING = "pending", _("Đã giải trình, chờ xem xét")
        ACCEPTED = "accepted", _("Lý do chính đáng (đã chấp nhận)")
        REJECTED = "rejected", _("Giải trình không được chấp nhận")

    item = models.ForeignKey(
        "ledger.Item",
        verbose_name=_("hồ sơ, công việc"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    key = models.CharField(_("khóa"), max_length=120)
    rule = models.CharField(_("quy tắc"), max_length=40)
    kind = models.CharField(_("loại"), max_length=20)
    unit = models.CharField(_("đơn vị chịu trách nhiệm"), max_length=40)
    official = models.CharField(
        pgettext_lazy("one official", "cán bộ chịu trách nhiệm"), max_length=40, blank=True
    )
    at = models.DateTimeField(_("thời điểm vi phạm"))
    events = models.JSONField(_("sự kiện chứng minh"), default=list)
    severity = models.CharField(_("mức độ"), max_length=8, choices=SeverityChoice.choices)
    ruleset = models.CharField(_("bộ quy tắc áp dụng"), max_length=20)
    detected_at = models.DateTimeField(_("phát hiện lúc"))
    lapsed_at = models.DateTimeField(
        _("không còn phát hiện từ"),
        null=True,
        blank=True,
        help_text=_(
            "Lần kiểm tra gần nhất không còn thấy vi phạm này (ví dụ hồ sơ quá hạn đã "
            "có kết quả, được ghi nhận bằng phát hiện trễ hạn)."
        ),
    )
    review = models.CharField(
        _("giải trình"), max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )

    class Meta:
        verbose_name = _("phát hiện vi phạm")
        verbose_name_plural = pgettext_lazy("plural", "phát hiện vi phạm")
        ordering = ["-at", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="finding_item_key"),
        ]
        indexes = [
            # league tables and unit pages: a unit's findings by rule over a period
            models.Index(fields=["unit", "at"], name="finding_unit_at"),
            models.Index(fields=["official", "at"], name="finding_official_at"),
            models.Index(fields=["rule", "at"], name="finding_rule_at"),
            models.Index(fields=["review"], name="finding_review"),
            # the league table's findings of a period: current ones by moment, read from the
            # index alone on PostgreSQL (bench/supervision_db.py: a quarter's or a month's
            # statement 2.4–3.8× faster over 800,000 findings; the INCLUDE is ignored by SQLite)
            models.Index(
                fields=["at"],
                include=["unit", "review", "id"],
                condition=models.Q(lapsed_at__isnull=True),
                name="finding_current_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} — {self.item_id}"

    @property
    def is_current(self) -> bool:
        return self.lapsed_at is None


class ItemCheck(models.Model):
    """How far an item's findings are up to date: the ``seq`` of its last event when they were
    last computed. The time-driven pass recomputes items whose ``checked_seq`` lags behind the
    ledger (a job lost between the commit of an event and its check is caught there)."""

    item = models.OneToOneField(
        "ledger.Item", on_delete=models.CASCADE, primary_key=True, related_name="findings_check"
    )
    checked_seq = models.PositiveIntegerField()
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lần kiểm tra vi phạm")
        verbose_name_plural = pgettext_lazy("plural", "lần kiểm tra vi phạm")

    def __str__(self) -> str:
        return f"{self.item_id}@{self.checked_seq}"


class Justification(models.Model):
    """A unit head's reason (with a supporting document) for a finding, and the supervisor's
    decision. Several may follow one another (a rejected one, then a better one); none is
    edited after its decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xem xét")
        ACCEPTED = "accepted", _("Chấp nhận")
        REJECTED = "rejected", _("Không chấp nhận")

    finding = models.ForeignKey(
        Finding,
        verbose_name=_("phát hiện"),
        on_delete=models.PROTECT,
        related_name="justifications",
    )
    reason = models.TextField(_("lý do"))
    document = models.FileField(
        _("tài liệu kèm theo"), upload_to="justifications/%Y/%m/", blank=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giải trình"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("giải trình lúc"))
    status = models.CharField(
        _("kết quả xem xét"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    review_note = models.TextField(_("ý kiến người xem xét"), blank=True)

    class Meta:
        verbose_name = _("giải trình")
        verbose_name_plural = pgettext_lazy("plural", "giải trình")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.finding} — {self.get_status_display()}"


class ThresholdSetting(models.Model):
    """The province's thresholds of the supervision rules: one row for the province default
    (``procedure`` empty) and one per procedure that departs from it. ``values`` takes the keys
    of ``congvu.domain.supervision.Thresholds`` (``{"idle_after": {"working_days": 3}}``);
    anything left out keeps the legal value."""

    procedure = models.CharField(
        _("mã thủ tục"),
        max_length=40,
        blank=True,
        unique=True,
        help_text=_("Để trống: ngưỡng mặc định của tỉnh."),
    )
    values = models.JSONField(_("ngưỡng"), default=dict)
    basis = models.CharField(
        _("căn cứ"),
        max_length=300,
        blank=True,
        help_text=_(
            "Văn bản quy định ngưỡng khác giá trị mặc định (luật chuyên ngành, quyết "
            "định của UBND tỉnh…)."
        ),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("ngưỡng giám sát")
        verbose_name_plural = pgettext_lazy("plural", "ngưỡng giám sát")
        ordering = ["procedure"]

    def __str__(self) -> str:
        return self.procedure or str(_("Mặc định của tỉnh"))
