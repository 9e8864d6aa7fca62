from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A government unit in the organisation tree (any depth).

    The tree is stored twice on purpose: ``parent`` is the truth, ``path`` (the codes of the
    ancestors, materialised) lets a subtree be read with one indexed ``LIKE 'path%'`` query
    on SQLite and PostgreSQL alike. Only services.unit_* write ``path``.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DIVISION = "division", _("Phòng, đơn vị trực thuộc")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        HAMLET = "hamlet", _("Thôn, ấp, bản")
        RESIDENTIAL_GROUP = "residential_group", _("Tổ dân phố")
        ONE_STOP_CENTRE = "one_stop_centre", _("Trung tâm Phục vụ hành chính công")
        DISTRICT = "district", _("Huyện, thị xã (trước 01/07/2025)")

    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    level = models.CharField(_("cấp"), max_length=24, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=1000, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(
        _("hiệu lực đến"), null=True, blank=True, help_text=_("Để trống: đang hoạt động.")
    )
    calendar = models.ForeignKey(
        "calendars.Calendar",
        verbose_name=_("lịch làm việc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("Để trống: dùng lịch của đơn vị cấp trên."),
    )
    oversees_province = models.BooleanField(
        _("giám sát toàn tỉnh"),
        default=False,
        help_text=_("Cán bộ của đơn vị này (ví dụ Sở Nội vụ) được xem dữ liệu của mọi đơn vị."),
    )
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_interval",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitLineage(models.Model):
    """One edge of the history of the organisation: an old unit continued by a new one."""

    class Kind(models.TextChoices):
        MERGER = "merger", _("Hợp nhất, sáp nhập")
        RENAME = "rename", _("Đổi tên")
        SPLIT = "split", _("Chia tách")
        TRANSFER = "transfer", _("Điều chuyển")

    predecessor = models.ForeignKey(
        Unit, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="successor_links"
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị mới"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=300)

    class Meta:
        verbose_name = _("lịch sử sắp xếp đơn vị")
        verbose_name_plural = _("lịch sử sắp xếp đơn vị")
        ordering = ["effective_on", "successor__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "kind"], name="unitlineage_unique_edge"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="unitlineage_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.code} → {self.successor.code} ({self.effective_on:%d/%m/%Y})"


class Official(models.Model):
    """A cadre, civil servant or public employee (cán bộ, công chức, viên chức)."""

    code = models.CharField(_("mã cán bộ"), max_length=40, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official",
    )

    class Meta:
        verbose_name = _("cán bộ, công chức")
        verbose_name_plural = _("cán bộ, công chức")
        ordering = ["full_name", "code"]

    def __str__(self) -> str:
        return self.full_name


class Role(models.TextChoices):
    PROVINCE_LEADER = "province_leader", _("Lãnh đạo UBND tỉnh")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    ONE_STOP = "one_stop", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    SUPERVISOR = "supervisor", _("Cán bộ giám sát")
    INSPECTOR = "inspector", _("Thanh tra viên")
    ADMIN = "admin", _("Quản trị hệ thống")


class PositionQuerySet(models.QuerySet["Position"]):
    def current(self, day: dt.date | None = None) -> PositionQuerySet:
        from django.utils import timezone

        day = day or timezone.localdate()
        return self.filter(Q(end_on__isnull=True) | Q(end_on__gte=day), start_on__lte=day)


class Position(models.Model):
    """A post held by an official in a unit over a period (start and end dates)."""

    official = models.ForeignKey(
        Official, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="positions"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="positions"
    )
    title = models.CharField(_("chức vụ"), max_length=200)
    role = models.CharField(_("vai trò"), max_length=24, choices=Role.choices)
    start_on = models.DateField(_("từ ngày"))
    end_on = models.DateField(_("đến ngày"), null=True, blank=True)
    decision = models.CharField(_("quyết định"), max_length=200, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("vị trí công tác")
        verbose_name_plural = _("vị trí công tác")
        ordering = ["-start_on"]
        indexes = [
            models.Index(fields=["unit", "end_on"]),
            models.Index(fields=["official", "start_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="position_valid_interval",
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.title}, {self.unit}"
