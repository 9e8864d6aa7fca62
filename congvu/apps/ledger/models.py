"""The one ledger of every work item (interchange.md v1).

``Event`` is the evidence: append-only (no update or delete path in code; database triggers
refuse both, see triggers.py) and hash-chained per item. ``Item`` is the summary row kept in
step with every appended event by services.events_ingest, so that lists and dashboards read one
row per item and never re-fold history. ``Item`` is derived and may be rewritten; ``Event``
never is.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceSystem(models.Model):
    """A system allowed to push events through the API (one token each); ``local`` is CôngVụ's
    own screens and the import command and needs no row."""

    code = models.SlugField(_("mã hệ thống"), max_length=40, unique=True)
    name = models.CharField(_("tên hệ thống"), max_length=255)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hệ thống nguồn")
        verbose_name_plural = _("hệ thống nguồn")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Item(models.Model):
    """One work item and its derived state after its last event (``fold`` at that event).

    Time-dependent figures (overdue now, time left now) are computed from ``due`` at query time.
    Unit and official are codes, as in the events: an external system may name a unit before
    it is imported, and the ledger must still keep its history.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Đang giải quyết")
        PAUSED = "paused", _("Chờ bổ sung")
        RESOLVED = "resolved", _("Đã có kết quả")
        RETURNED = "returned", _("Đã trả kết quả")
        REFUSED = "refused", _("Từ chối")
        WITHDRAWN = "withdrawn", _("Rút hồ sơ")
        CLOSED = "closed", _("Kết thúc do không bổ sung")

    OPEN_STATUSES = (Status.OPEN, Status.PAUSED)

    source = models.CharField(_("hệ thống nguồn"), max_length=40)
    code = models.CharField(_("mã"), max_length=80)
    kind = models.CharField(_("loại"), max_length=20)
    procedure = models.CharField(_("thủ tục"), max_length=40, blank=True)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, blank=True)
    agency = models.CharField(_("đơn vị tiếp nhận"), max_length=40)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    ruleset = models.CharField(_("bộ quy tắc"), max_length=20)
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due = models.DateTimeField(_("hạn giải quyết"))
    due_source = models.CharField(max_length=12)
    limit_seconds = models.BigIntegerField()
    unit = models.CharField(_("đơn vị đang giữ"), max_length=40)
    official = models.CharField(_("cán bộ đang giữ"), max_length=40, blank=True)
    step = models.CharField(_("bước đang thực hiện"), max_length=40, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    late = models.BooleanField(_("trễ hạn"), default=False)
    lateness_seconds = models.BigIntegerField(default=0)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    apology_count = models.PositiveSmallIntegerField(default=0)
    transfer_count = models.PositiveSmallIntegerField(default=0)
    has_appointment = models.BooleanField(default=False)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    last_seq = models.PositiveIntegerField()
    last_event_at = models.DateTimeField()
    last_hash = models.CharField(max_length=64)
    secret = models.CharField(
        _("mã tra cứu"),
        max_length=12,
        blank=True,
        help_text=_("In trên giấy tiếp nhận; người nộp dùng để tra cứu."),
    )

    class Meta:
        verbose_name = _("hồ sơ, công việc")
        verbose_name_plural = _("hồ sơ, công việc")
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="ledger_item_identity"),
        ]
        indexes = [
            # The queues and dashboards: open items of a unit by due moment.
            models.Index(fields=["unit", "status", "due"], name="ledger_item_unit_due"),
            models.Index(fields=["official", "status", "due"], name="ledger_item_official_due"),
            models.Index(fields=["status", "due"], name="ledger_item_status_due"),
            models.Index(fields=["received_at"], name="ledger_item_received"),
            models.Index(fields=["code"], name="ledger_item_code"),
            # The receiving agency's items. Declared here rather than with ``db_index=True``,
            # which on PostgreSQL adds a second, ``varchar_pattern_ops`` index for ``LIKE``
            # that no query uses and every import would keep up (8 % of an item row's cost).
            models.Index(fields=["agency"], name="ledger_item_agency"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Event(models.Model):
    """One event of one item, as received (interchange.md v1). Never updated, never deleted.

    ``hash`` = sha256(previous event's hash + canonical JSON of this event); the first event
    chains from 64 zeros. ``congvu ledger verify`` recomputes the chain from the columns.
    """

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    at = models.DateTimeField()
    at_text = models.CharField(max_length=40)
    type = models.CharField(max_length=32)
    unit = models.CharField(max_length=40)
    actor = models.CharField(max_length=40, blank=True)
    data = models.JSONField(default=dict)
    hash = models.CharField(max_length=64)
    stored_at = models.DateTimeField()

    class Meta:
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")
        constraints = [
            models.UniqueConstraint(fields=["item", "seq"], name="ledger_event_item_seq"),
        ]
        indexes = [models.Index(fields=["at"], name="ledger_event_at")]

    def __str__(self) -> str:
        return f"{self.item_id}#{self.seq} {self.type}"


class PendingEvent(models.Model):
    """An event held back because its ``seq`` leaves a gap; released when the gap is filled."""

    source = models.CharField(max_length=40)
    item = models.CharField(max_length=80)
    seq = models.PositiveIntegerField()
    line = models.TextField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sự kiện chờ (thiếu số thứ tự trước)")
        verbose_name_plural = _("sự kiện chờ (thiếu số thứ tự trước)")
        constraints = [
            models.UniqueConstraint(fields=["source", "item", "seq"], name="ledger_pending_key"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.item}#{self.seq}"


class DossierCounter(models.Model):
    """The last ``NNNN`` of dossier codes issued by an agency on a day (one row per pair)."""

    agency = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="ledger_counter_key"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.day:%d/%m/%Y}: {self.last}"
