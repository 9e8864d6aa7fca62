"""Who is told what and when: new findings and overdue items, reminders before the due
moment, the daily digest; office hours; never twice for the same moment."""

from __future__ import annotations

import socket

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import override_settings

from congvu.apps.alerts.models import Notification
from congvu.apps.alerts.services import (
    digests_send,
    findings_notify,
    notifications_mail,
    reminders_send,
)
from congvu.apps.alerts.tests.conftest import at, ingest, received
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.tests.factories import line
from congvu.apps.organisations.models import Official
from congvu.apps.supervision.models import Finding
from congvu.apps.supervision.services import findings_sweep

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notices(kind: str | None = None) -> list[tuple[str, str]]:
    rows = Notification.objects.order_by("official__code", "kind")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("official__code", "kind"))


def sweep(when: str, django_capture_on_commit_callbacks) -> None:
    """The time-driven pass at ``when``, its notices queued on commit and run (eager jobs)."""
    with (
        time_machine.travel(at(when), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        findings_sweep(now=at(when))


# --- New findings and overdue items ---------------------------------------------------------


def test_an_overdue_item_is_told_to_its_holder_and_the_unit_head_in_the_app_and_by_email(
    mailed, django_capture_on_commit_callbacks
):
    ingest(received("H-1"))
    sweep("2026-10-08T09:00", django_capture_on_commit_callbacks)  # due Thu 08:00

    overdue = Notification.objects.filter(kind="overdue").order_by("official__code")
    assert [n.official.code for n in overdue] == ["GINA", "HUNG"]
    n = overdue[0]
    assert n.item.code == "H-1" and n.finding.rule == "OVERDUE"
    assert n.moment == at("2026-10-08T08:00") and n.unit == "C1"
    assert n.title == "Quá hạn: Hồ sơ H-1 (Đăng ký khai sinh)"
    assert "08/10/2026 08:00" in n.body and "Đặng Thu Giang" in n.body
    assert n.emailed_at == at("2026-10-08T09:00")

    sent = {m.to[0]: m for m in mail.outbox if "Quá hạn" in m.subject}
    assert set(sent) == {"gina@hoaphu.example.vn", "hung@hoaphu.example.vn"}
    message = sent["gina@hoaphu.example.vn"]
    assert message.subject == "[CôngVụ] Quá hạn: Hồ sơ H-1 (Đăng ký khai sinh)"
    assert "Kính gửi Đặng Thu Giang," in message.body
    assert "OVERDUE — Quá hạn giải quyết" in message.body
    assert f"/giam-sat/phat-hien/{n.finding_id}/" in message.body  # its proof, justification
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "08/10/2026 08:00" in html


def test_other_findings_are_finding_notices_naming_the_rule(
    mailed, django_capture_on_commit_callbacks
):
    ingest(received("H-1"))
    sweep("2026-10-08T09:00", django_capture_on_commit_callbacks)
    rules = Notification.objects.filter(kind="finding", official__code="GINA")
    assert sorted(rules.values_list("finding__rule", flat=True)) == [
        "LATE_NO_APOLOGY",
        "STEP_LATE",
    ]
    step_late = rules.get(finding__rule="STEP_LATE")
    assert step_late.title.startswith("Vi phạm ")
    assert "Quy tắc STEP_LATE" in step_late.body


def test_the_same_findings_are_never_told_twice(mailed, django_capture_on_commit_callbacks):
    ingest(received("H-1"))
    sweep("2026-10-08T09:00", django_capture_on_commit_callbacks)
    rows, sent = Notification.objects.count(), len(mail.outbox)
    ids = list(Finding.objects.values_list("pk", flat=True))

    run = findings_notify(ids, now=at("2026-10-08T10:00"))
    sweep("2026-10-08T11:00", django_capture_on_commit_callbacks)

    assert run.notices == 0 and run.sent == 0
    assert Notification.objects.count() == rows and len(mail.outbox) == sent


def test_the_database_refuses_a_second_notice_for_the_same_due_moment(mailed):
    ingest(received("H-1"))
    item = Item.objects.get(code="H-1")
    gina = Official.objects.get(code="GINA")
    fields = {
        "official": gina,
        "kind": "due_soon",
        "unit": "C1",
        "recipient_unit": "C1",
        "item": item,
        "moment": item.due,
        "title": "t",
        "body": "b",
        "created_at": at("2026-10-07T09:00"),
    }
    Notification.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**fields)
    Notification.objects.create(**{**fields, "moment": at("2026-10-09T08:00")})  # a new due


def test_outside_office_hours_the_notice_is_in_the_app_at_once_and_the_email_waits(
    mailed, django_capture_on_commit_callbacks
):
    ingest(received("H-1"))
    sweep("2026-10-08T18:00", django_capture_on_commit_callbacks)  # Thursday evening
    assert notices("overdue") == [("GINA", "overdue"), ("HUNG", "overdue")]
    assert mail.outbox == []

    lunch = notifications_mail(now=at("2026-10-09T12:00"))  # Friday's lunch break
    assert (lunch.sent, mail.outbox) == (0, [])
    assert lunch.waiting == Notification.objects.count()

    morning = notifications_mail(now=at("2026-10-09T07:30"))
    assert morning.sent == Notification.objects.count() == len(mail.outbox)
    assert notifications_mail(now=at("2026-10-09T08:00")).sent == 0  # each e-mail once


def test_a_failed_email_is_released_and_sent_by_a_later_pass(
    mailed, django_capture_on_commit_callbacks
):
    ingest(received("H-1"))
    # a real SMTP client against a port where nothing listens: the transport fails
    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": closed_port(),
        "EMAIL_TIMEOUT": 2,
    }
    with override_settings(**smtp):
        sweep("2026-10-08T09:00", django_capture_on_commit_callbacks)
    failed = Notification.objects.all()
    assert failed and all(n.emailed_at is None and n.email_attempts == 1 for n in failed)
    assert "refused" in failed[0].email_error.lower()

    run = notifications_mail(now=at("2026-10-08T09:05"))
    assert run.sent == Notification.objects.count() == len(mail.outbox)


def test_an_official_without_account_is_told_by_email_only_and_one_without_address_not_at_all(
    mailed, django_capture_on_commit_callbacks
):
    Official.objects.create(code="KHANH", full_name="Lý Văn Khánh", email="khanh@example.vn")
    Official.objects.create(code="LAN", full_name="Mai Thị Lan")
    ingest(received("H-1", official="KHANH") + received("H-2", official="LAN"))
    sweep("2026-10-08T09:00", django_capture_on_commit_callbacks)

    assert notices("overdue") == [("HUNG", "overdue"), ("HUNG", "overdue"), ("KHANH", "overdue")]
    khanh = Notification.objects.get(official__code="KHANH", kind="overdue")
    assert khanh.email == "khanh@example.vn" and khanh.emailed_at is not None


def test_a_unit_without_a_head_is_answered_for_by_the_nearest_head_above(
    cast, birth, django_capture_on_commit_callbacks
):
    # D1 has no head: bob leads the province above it; alice has an account but no address
    ingest(received("D-1", unit="D1", official="ALICE"))
    sweep("2026-10-08T09:00", django_capture_on_commit_callbacks)
    assert notices("overdue") == [("ALICE", "overdue"), ("BOB", "overdue")]
    bob = Notification.objects.get(official__code="BOB", kind="overdue")
    assert (bob.unit, bob.recipient_unit, bob.email) == ("D1", "P", "")
    assert mail.outbox == []


def test_an_unknown_official_leaves_the_heads(mailed, django_capture_on_commit_callbacks):
    ingest(received("H-1", official="NOBODY"))
    sweep("2026-10-08T09:00", django_capture_on_commit_callbacks)
    assert notices("overdue") == [("HUNG", "overdue")]


@override_settings(CONGVU_ALERT_FRESH_DAYS=7)
def test_a_finding_of_long_ago_found_by_a_late_check_is_left_to_the_digest(
    mailed, django_capture_on_commit_callbacks
):
    ingest(received("H-1"))
    sweep("2026-10-20T09:00", django_capture_on_commit_callbacks)  # due 12 days before
    assert Finding.objects.filter(rule="OVERDUE").exists()
    assert notices("overdue") == []


# --- Reminders before the due moment --------------------------------------------------------


def test_an_item_due_within_one_working_day_is_reminded_to_holder_and_head_once(mailed):
    ingest(received("H-1"))
    assert reminders_send(now=at("2026-10-07T07:45")).notices == 0  # 1 day 15 min left

    run = reminders_send(now=at("2026-10-07T08:30"))  # 7 h 30 left of office time
    assert run.notices == 2 and run.sent == 2
    assert notices("due_soon") == [("GINA", "due_soon"), ("HUNG", "due_soon")]
    n = Notification.objects.get(kind="due_soon", official__code="GINA")
    assert n.moment == at("2026-10-08T08:00")
    assert n.title == "Sắp đến hạn: Hồ sơ H-1 (Đăng ký khai sinh)"
    assert "08/10/2026 08:00" in n.body and "7 giờ" in n.body
    assert "1 ngày làm việc" in n.body

    again = reminders_send(now=at("2026-10-07T15:00"))
    assert (again.notices, again.sent) == (0, 0)
    assert Notification.objects.filter(kind="due_soon").count() == 2 and len(mail.outbox) == 2


def test_reminders_wait_for_office_hours(mailed):
    ingest(received("H-1"))  # due soon from Wednesday 08:00 (one working day left)
    assert reminders_send(now=at("2026-10-07T12:15")).notices == 0  # lunch break
    assert reminders_send(now=at("2026-10-07T19:00")).notices == 0  # evening
    assert reminders_send(now=at("2026-10-08T07:30")).notices == 2  # next opening


def test_a_moved_due_moment_is_reminded_again(mailed):
    ingest(received("H-1"))
    reminders_send(now=at("2026-10-07T09:00"))
    ingest(
        [
            line(
                "H-1", 4, "2026-10-07T10:00:00+07:00", "apology_issued", "C1",
                new_due="2026-10-09T10:00:00+07:00", reason="Chờ xác minh",
            )
        ],
        when="2026-10-07T10:00",
    )  # fmt: skip
    assert reminders_send(now=at("2026-10-08T11:00")).notices == 2
    moments = Notification.objects.filter(kind="due_soon", official__code="GINA")
    assert sorted(moments.values_list("moment", flat=True)) == [
        at("2026-10-08T08:00"),
        at("2026-10-09T10:00"),
    ]


def test_a_paused_or_late_item_gets_no_reminder(mailed):
    ingest(
        received("H-1")
        + [
            line(
                "H-1", 4, "2026-10-07T09:00:00+07:00", "supplement_requested", "C1",
                documents=["Giấy chứng sinh"], reason="thiếu",
            )
        ],
        when="2026-10-07T09:00",
    )  # fmt: skip
    ingest(received("H-2"))
    assert reminders_send(now=at("2026-10-07T10:00")).notices == 2  # H-2 only
    assert set(Notification.objects.values_list("item__code", flat=True)) == {"H-2"}
    assert reminders_send(now=at("2026-10-08T09:00")).notices == 0  # H-2 is late now


@pytest.mark.parametrize(
    "threshold, reminded", [({"working_hours": 2}, False), ({"working_days": 2}, True)]
)
def test_the_province_threshold_sets_how_early_reminders_come(mailed, threshold, reminded):
    from congvu.apps.supervision.models import ThresholdSetting

    ThresholdSetting.objects.create(procedure="", values={"due_soon": threshold})
    ingest(received("H-1"))
    run = reminders_send(now=at("2026-10-06T10:00"))  # 1 day 6 h left
    assert (run.notices > 0) is reminded


# --- Daily digest ---------------------------------------------------------------------------


def test_the_daily_digest_goes_to_the_heads_once_a_day(mailed, django_capture_on_commit_callbacks):
    ingest(received("H-1") + received("H-2"))
    ingest([line("H-3", 1, "2026-10-06T08:00:00+07:00", "received", "C1",
                 procedure="1.001193", channel="direct"),
            line("H-3", 2, "2026-10-06T08:00:00+07:00", "assigned", "C1",
                 official="GINA", step="review")], when="2026-10-06T08:05")  # fmt: skip
    sweep("2026-10-08T16:00", django_capture_on_commit_callbacks)  # H-1, H-2 overdue
    mail.outbox.clear()

    run = digests_send(now=at("2026-10-09T07:30"))  # Friday
    assert notices("digest") == [("HUNG", "digest")]
    digest = Notification.objects.get(kind="digest")
    assert digest.title == "Tổng hợp ngày 09/10/2026: Xã Hòa Phú"
    assert digest.moment == at("2026-10-09T00:00") and digest.unit == "C1"
    assert "Phát hiện vi phạm mới từ 08/10/2026 07:30:" in digest.body
    assert "Hồ sơ, công việc quá hạn chưa giải quyết xong: 2." in digest.body
    assert "Hồ sơ, công việc sắp đến hạn: 1." in digest.body  # H-3, due Fri 08:00+
    assert "H-3" in digest.body  # due Friday 08:00
    assert run.sent == 1 and mail.outbox[0].to == ["hung@hoaphu.example.vn"]

    again = digests_send(now=at("2026-10-09T10:00"))
    assert (again.notices, again.sent) == (0, 0)
    assert Notification.objects.filter(kind="digest").count() == 1


def test_no_digest_on_a_day_off_and_none_for_a_unit_with_nothing_to_report(
    mailed, django_capture_on_commit_callbacks
):
    ingest(received("H-1"))
    assert digests_send(now=at("2026-10-10T08:00")).notices == 0  # Saturday
    assert digests_send(now=at("2026-10-06T07:30")).notices == 0  # nothing yet on Tuesday
    sweep("2026-10-08T17:30", django_capture_on_commit_callbacks)
    assert digests_send(now=at("2026-10-12T07:30")).notices == 1  # Monday covers the weekend
    digest = Notification.objects.get(kind="digest")
    assert "từ 09/10/2026 07:30" in digest.body
