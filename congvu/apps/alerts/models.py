"""Notifications to officials: in the app, and by e-mail when they have an address.

One row per recipient and subject. The row is the in-app notice *and* the e-mail's outbox
entry: ``email`` is the address it goes to (empty: in-app only), ``emailed_at`` is set when a
sender claims it (a conditional UPDATE), so a notice is mailed at most once whichever process
sends it. The partial unique constraints make "never twice for the same moment" hold in the
database, whatever runs twice: two schedulers, a job retried, a reminder pass every few
minutes.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """A notice to one official about an item, a finding or a unit's day."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")
        FINDING = "finding", _("Phát hiện vi phạm mới")
        DIGEST = "digest", _("Tổng hợp hằng ngày")

    #: Kinds about one item's due moment (the uniqueness is per item and moment).
    ITEM_KINDS = (Kind.DUE_SOON, Kind.OVERDUE)

    official = models.ForeignKey(
        "organisations.Official",
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    unit = models.CharField(
        pgettext_lazy("one unit", "đơn vị liên quan"),
        max_length=40,
        help_text=_("Đơn vị chịu trách nhiệm, đơn vị đang giữ hồ sơ, hoặc đơn vị được tổng hợp."),
    )
    recipient_unit = models.CharField(
        _("đơn vị của người nhận"),
        max_length=40,
        help_text=_("Thư điện tử chỉ gửi trong giờ làm việc theo lịch của đơn vị này."),
    )
    item = models.ForeignKey(
        "ledger.Item",
        verbose_name=_("hồ sơ, công việc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finding = models.ForeignKey(
        "supervision.Finding",
        verbose_name=_("phát hiện vi phạm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
    )
    moment = models.DateTimeField(
        _("thời điểm liên quan"),
        help_text=_(
            "Hạn giải quyết (sắp đến hạn, quá hạn), thời điểm vi phạm (phát hiện), hoặc đầu "
            "ngày được tổng hợp."
        ),
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"))
    link = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    email = models.EmailField(_("gửi thư tới"), blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("số lần gửi lỗi"), default=0)
    email_error = models.CharField(_("lỗi gửi thư gần nhất"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("plural", "thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "kind", "item", "moment"],
                condition=Q(kind__in=["due_soon", "overdue"]),
                name="notification_once_per_due",
            ),
            models.UniqueConstraint(
                fields=["official", "finding"],
                condition=Q(kind="finding"),
                name="notification_once_per_finding",
            ),
            models.UniqueConstraint(
                fields=["official", "unit", "moment"],
                condition=Q(kind="digest"),
                name="notification_once_per_digest",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["due_soon", "overdue"]) | Q(item__isnull=False),
                name="notification_due_has_item",
            ),
            models.CheckConstraint(
                condition=~Q(kind="finding") | Q(finding__isnull=False),
                name="notification_finding_has_finding",
            ),
        ]
        indexes = [
            # the page and the unread count of the top navigation
            models.Index(fields=["official", "read_at"], name="notification_unread"),
            models.Index(fields=["official", "created_at"], name="notification_recent"),
            # the outbox: notices whose e-mail is still to be sent
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True) & ~Q(email=""),
                name="notification_outbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.official_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
