"""The scheduler's memory: one row per periodic job, the moment it was last queued and the
id of that queued task. A scheduler claims a run by a conditional UPDATE of this row, so two
schedulers (a cron line and a systemd timer left behind, two hosts) never queue one run twice,
and a run still waiting in the queue is not queued again."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PeriodicJob(models.Model):
    name = models.SlugField(_("tác vụ"), max_length=60, unique=True)
    enqueued_at = models.DateTimeField(_("đưa vào hàng đợi lần cuối"), null=True, blank=True)
    result_id = models.CharField(_("mã kết quả trong hàng đợi"), max_length=64, blank=True)
    runs = models.PositiveIntegerField(_("số lần đã đưa vào hàng đợi"), default=0)

    class Meta:
        verbose_name = _("tác vụ định kỳ")
        verbose_name_plural = pgettext_lazy("plural", "tác vụ định kỳ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
