"""Writes of the alerts: notices made (new findings, overdue items, items due soon, the daily
digest per unit), e-mails sent from the outbox, notices marked read.

Every notice is a :class:`~congvu.apps.alerts.models.Notification` row inserted with
``ignore_conflicts``: the partial unique constraints decide "never twice for the same
moment", so two passes that race, a retried job or a reminder pass every few minutes add
nothing the second time. E-mails go out from those rows (:func:`notifications_mail`), only
inside office hours of the recipient's unit, each claimed by a conditional UPDATE before it is
sent, so no notice is mailed twice; outside office hours they wait for the next pass.

Who is told: the responsible official (the finding's, or the item's holder) and the heads of
the responsible unit (``selectors.Directory``). Someone without an account is told only by
e-mail, and only if they have an address; someone with neither is skipped (and logged).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from congvu.apps.alerts import texts
from congvu.apps.alerts.models import Notification
from congvu.apps.alerts.selectors import (
    Directory,
    DueSoon,
    Recipient,
    day_start,
    digest_build,
    digest_candidates,
    in_office_hours,
    items_due_soon,
    previous_working_day,
    unit_names,
)
from congvu.apps.dossiers.display import working_text
from congvu.apps.ledger import clock
from congvu.apps.ledger.context import FoldContext
from congvu.apps.ledger.models import Item
from congvu.apps.organisations.models import Official
from congvu.apps.procedures.models import Procedure
from congvu.apps.supervision.models import Finding
from congvu.apps.supervision.selectors import threshold_config
from congvu.domain.calendar import VN_TZ
from congvu.domain.errors import DomainError

logger = logging.getLogger(__name__)

#: E-mails one pass sends at most; the rest wait for the next pass (a pass stays short).
MAIL_BATCH = 500
#: Failed sends of one notice before it is left for an administrator to look at.
MAIL_ATTEMPTS = 5
#: Finding pks read at a time.
CHUNK = 500


@dataclass
class AlertsRun:
    """What one pass did: notices made, e-mails sent, waiting for office hours, failed."""

    notices: int = 0
    sent: int = 0
    waiting: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "notices": self.notices,
            "sent": self.sent,
            "waiting": self.waiting,
            "failed": self.failed,
        }


# --- Making notices -------------------------------------------------------------------------


class _Notices:
    """Collects the rows of one pass and inserts the new ones (one query to find what exists,
    one bulk insert)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.rows: list[Notification] = []

    def add(self, recipient: Recipient, **fields) -> None:
        self.rows.append(
            Notification(
                official=recipient.official,
                recipient_unit=recipient.unit,
                email=recipient.email,
                created_at=self.now,
                **fields,
            )
        )

    def save(self) -> int:
        """Insert the rows not already there; returns how many were new. A row that a
        concurrent pass inserted in between is dropped by the constraint, not duplicated."""
        if not self.rows:
            return 0
        existing = _existing_keys(self.rows)
        fresh: dict[tuple, Notification] = {}
        for row in self.rows:
            key = _key(row)
            if key not in existing:
                fresh.setdefault(key, row)
        Notification.objects.bulk_create(fresh.values(), batch_size=500, ignore_conflicts=True)
        return len(fresh)


def _key(n: Notification) -> tuple:
    if n.kind == Notification.Kind.FINDING:
        return (n.official_id, n.kind, n.finding_id)
    if n.kind == Notification.Kind.DIGEST:
        return (n.official_id, n.kind, n.unit, n.moment)
    return (n.official_id, n.kind, n.item_id, n.moment)


def _existing_keys(rows: Sequence[Notification]) -> set[tuple]:
    officials = {r.official_id for r in rows}
    kinds = {r.kind for r in rows}
    found = Notification.objects.filter(official_id__in=officials, kind__in=kinds)
    items = {r.item_id for r in rows if r.item_id}
    findings = {r.finding_id for r in rows if r.finding_id}
    units = {r.unit for r in rows if r.kind == Notification.Kind.DIGEST}
    narrowed = found.none()
    if items:
        narrowed |= found.filter(item_id__in=items)
    if findings:
        narrowed |= found.filter(finding_id__in=findings)
    if units:
        narrowed |= found.filter(kind=Notification.Kind.DIGEST, unit__in=units)
    return {
        _key(n)
        for n in narrowed.only("official_id", "kind", "item_id", "finding_id", "unit", "moment")
    }


def _procedure_names(items: Iterable[Item]) -> dict[str, str]:
    codes = {i.procedure for i in items if i.procedure}
    return dict(Procedure.objects.filter(code__in=codes).values_list("code", "name"))


def _official_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(
        Official.objects.filter(code__in={c for c in codes if c}).values_list("code", "full_name")
    )


def findings_notify(finding_ids: Iterable[int], *, now: dt.datetime | None = None) -> AlertsRun:
    """Tell the responsible official and the heads of the responsible unit about new
    findings: an ``OVERDUE`` finding is an overdue notice, any other a finding notice.

    Only findings still current and whose moment is recent (``CONGVU_ALERT_FRESH_DAYS``) are
    told one by one: a history loaded in bulk (the demo's year, an external system's backlog)
    would otherwise send a notice for every violation of the past; those are in the digests
    and the findings lists. E-mails in office hours go at once, the others wait.
    """
    now = now or clock.now()
    fresh_after = now - dt.timedelta(days=settings.CONGVU_ALERT_FRESH_DAYS)
    ids = sorted(set(finding_ids))
    run = AlertsRun()
    for start in range(0, len(ids), CHUNK):
        findings = list(
            Finding.objects.filter(
                pk__in=ids[start : start + CHUNK], lapsed_at__isnull=True, at__gte=fresh_after
            ).select_related("item")
        )
        if not findings:
            continue
        directory = Directory(timezone.localdate(now))
        directory.prepare(
            officials={f.official for f in findings}, units={f.unit for f in findings}
        )
        procedures = _procedure_names(f.item for f in findings)
        units = unit_names(f.unit for f in findings)
        officials = _official_names(f.official for f in findings)
        notices = _Notices(now)
        with translation.override("vi"):
            for f in findings:
                title, body = texts.finding(
                    f=f,
                    label=texts.item_label(f.item, procedures),
                    unit=units.get(f.unit, f.unit),
                    official=texts.person(f.official, officials),
                )
                overdue = f.rule == "OVERDUE"
                for r in directory.recipients(official=f.official, unit=f.unit):
                    notices.add(
                        r,
                        kind=Notification.Kind.OVERDUE if overdue else Notification.Kind.FINDING,
                        unit=f.unit,
                        item=f.item,
                        finding=f,
                        moment=f.at,
                        title=title[:300],
                        body=body,
                        link=texts.finding_link(f),
                    )
        run.notices += notices.save()
    _mail_into(run, now)
    return run


def reminders_send(*, now: dt.datetime | None = None) -> AlertsRun:
    """Remind the holder of each item due soon, and the heads of the holding unit, once per
    due moment (an apology that moves the due brings a new reminder). Made only inside office
    hours of the recipient's unit: outside them the item waits for the next pass (and if it
    is late by then, the overdue notice takes over). Then the outbox is sent."""
    now = now or clock.now()
    ctx = FoldContext()
    config = threshold_config()
    soon = items_due_soon(now=now, ctx=ctx, config=config)
    run = AlertsRun()
    if soon:
        directory = Directory(timezone.localdate(now))
        directory.prepare(
            officials={d.item.official for d in soon}, units={d.item.unit for d in soon}
        )
        procedures = _procedure_names(d.item for d in soon)
        units = unit_names(d.item.unit for d in soon)
        officials = _official_names(d.item.official for d in soon)
        notices = _Notices(now)
        with translation.override("vi"):
            for d in soon:
                _remind(notices, d, ctx, config, directory, procedures, units, officials)
        run.notices = notices.save()
    _mail_into(run, now)
    return run


def _remind(notices, d: DueSoon, ctx, config, directory, procedures, units, officials) -> None:
    item, state = d.item, d.state
    recipients = [
        r
        for r in directory.recipients(official=item.official, unit=item.unit)
        if in_office_hours(ctx.calendar(r.unit), notices.now)
    ]
    if not recipients:
        return
    calendar = ctx.calendar(item.agency)
    title, body = texts.due_soon(
        item=item,
        due=state.due,
        left=working_text(state.working_seconds_left, calendar.day_seconds),
        threshold=config.thresholds_for(item.procedure or None).due_soon,
        label=texts.item_label(item, procedures),
        unit=units.get(item.unit, item.unit),
        official=texts.person(item.official, officials),
    )
    for r in recipients:
        notices.add(
            r,
            kind=Notification.Kind.DUE_SOON,
            unit=item.unit,
            item=item,
            moment=state.due,
            title=title[:300],
            body=body,
            link=texts.item_link(item),
        )


def digests_send(*, now: dt.datetime | None = None) -> AlertsRun:
    """The daily digest of each unit with something to report, to its heads: new findings
    since the previous working day's digest, unfinished items past due, items due soon.
    Made on the unit's working days only (a Monday digest covers the weekend); one per unit,
    head and day whatever runs again."""
    now = now or clock.now()
    ctx = FoldContext()
    soon = items_due_soon(now=now, ctx=ctx)
    at = settings.CONGVU_DIGEST_AT
    codes = sorted(digest_candidates(now, soon, lookback=dt.timedelta(days=60)))
    directory = Directory(timezone.localdate(now))
    directory.prepare(units=codes)
    ctx.prepare(units=codes)
    names = unit_names(codes)
    today = timezone.localdate(now)
    notices = _Notices(now)
    digests = []
    for code in codes:
        heads = [h for h in directory.heads(code) if h.reachable]
        if not heads:
            continue
        try:
            calendar = ctx.calendar(code)
            if not calendar.is_working_day(today):
                continue
        except DomainError as e:
            logger.warning("alerts: no digest for %s: %s", code, e)
            continue
        before = previous_working_day(calendar, today)
        since = dt.datetime.combine(before, at, tzinfo=VN_TZ)
        digest = digest_build(
            unit=code, name=names.get(code, code), day=today, since=since, now=now, due_soon=soon
        )
        if not digest.empty:
            digests.append((digest, heads))
    if digests:
        items = [
            i for d, _ in digests for i in (*(f.item for f in d.finding_rows), *d.overdue_rows)
        ]
        items += [s.item for d, _ in digests for s in d.due_soon]
        procedures = _procedure_names(items)
        labels = {i.pk: texts.item_label(i, procedures) for i in items}
        officials = _official_names(i.official for i in items)
        officials.update(_official_names(f.official for d, _ in digests for f in d.finding_rows))
        with translation.override("vi"):
            for digest, heads in digests:
                title, body = texts.digest(digest, labels=labels, names=officials)
                for head in heads:
                    notices.add(
                        head,
                        kind=Notification.Kind.DIGEST,
                        unit=digest.unit,
                        moment=day_start(today),
                        title=title[:300],
                        body=body,
                        link=texts.unit_link(digest.unit),
                    )
    run = AlertsRun(notices=notices.save())
    _mail_into(run, now)
    return run


# --- E-mail ---------------------------------------------------------------------------------


def _mail_into(run: AlertsRun, now: dt.datetime) -> None:
    mailed = notifications_mail(now=now)
    run.sent, run.waiting, run.failed = mailed.sent, mailed.waiting, mailed.failed


def notifications_mail(*, now: dt.datetime | None = None, limit: int = MAIL_BATCH) -> AlertsRun:
    """Send the outbox: notices with an address and no e-mail yet, whose recipient's unit is
    in office hours now. Each is claimed (``emailed_at`` set where it was empty) before it is
    sent, so two senders never mail the same notice; a failed send is released and retried
    by a later pass, up to ``MAIL_ATTEMPTS`` times."""
    now = now or clock.now()
    run = AlertsRun()
    pending = list(
        Notification.objects.filter(emailed_at__isnull=True, email_attempts__lt=MAIL_ATTEMPTS)
        .exclude(email="")
        .select_related("official")
        .order_by("created_at", "pk")[:limit]
    )
    if not pending:
        return run
    ctx = FoldContext()
    ctx.prepare(units={n.recipient_unit for n in pending})
    connection = None
    for n in pending:
        if not in_office_hours(ctx.calendar(n.recipient_unit), now):
            run.waiting += 1
            continue
        claimed = Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(
            emailed_at=now
        )
        if not claimed:
            continue  # another sender has it
        connection = connection or get_connection()
        try:
            _message(n, connection).send()
        except Exception as e:  # any transport error: release the claim, count the attempt
            logger.warning("alerts: e-mail of notice %s to %s failed: %s", n.pk, n.email, e)
            Notification.objects.filter(pk=n.pk).update(
                emailed_at=None,
                email_attempts=F("email_attempts") + 1,
                email_error=str(e)[:300],
            )
            run.failed += 1
        else:
            run.sent += 1
    return run


def _message(n: Notification, connection) -> EmailMultiAlternatives:
    with translation.override("vi"):
        context = {
            "n": n,
            "link": texts.absolute(n.link) if n.link else "",
            "all_link": texts.absolute(reverse("alerts:list")),
        }
        text = render_to_string("alerts/email/notification.txt", context)
        html = render_to_string("alerts/email/notification.html", context)
    message = EmailMultiAlternatives(
        subject=f"[CôngVụ] {n.title}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[n.email],
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


# --- Reading --------------------------------------------------------------------------------


def notification_mark_read(*, notification: Notification, actor) -> Notification:
    """Mark one of the actor's notices read (the first reading counts; again is a no-op).
    Callers fetch the notice through ``permissions.notifications_of(actor)``."""
    from congvu.apps.alerts.permissions import can_read

    if not can_read(actor, notification):
        raise PermissionDenied
    if notification.read_at is None:
        now = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    from congvu.apps.alerts.permissions import notifications_of

    return notifications_of(actor).filter(read_at__isnull=True).update(read_at=clock.now())
