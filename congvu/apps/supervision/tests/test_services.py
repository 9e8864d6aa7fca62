"""Findings stored from the ledger: incrementally as events arrive, by the clock, idempotently;
justifications and their review."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congvu.apps.alerts.tasks import findings_notify_task
from congvu.apps.ledger.models import Item
from congvu.apps.ledger.services import events_ingest
from congvu.apps.ledger.tests.factories import line
from congvu.apps.supervision.errors import (
    JustificationNotAllowedError,
    JustificationStateError,
)
from congvu.apps.supervision.models import Finding, ItemCheck, ThresholdSetting
from congvu.apps.supervision.services import (
    findings_refresh,
    findings_sweep,
    justification_review,
    justification_submit,
)
from congvu.apps.supervision.tasks import findings_refresh_task

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))


def received(item: str, at: str = "2026-10-05T08:00:00+07:00") -> list[str]:
    """A birth registration received at C1's counter, with its slip (due Thu 08/10 08:00)."""
    return [
        line(item, 1, at, "received", "C1", procedure="1.001193", channel="direct"),
        line(item, 2, at, "appointment_issued", "C1", due="2026-10-08T08:00:00+07:00"),
        line(item, 3, at, "assigned", "C1", official="GINA", step="review"),
    ]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN)


def rules_of(code: str, *, current: bool = True) -> list[str]:
    found = Finding.objects.filter(item__code=code)
    if current:
        found = found.filter(lapsed_at__isnull=True)
    return sorted(found.values_list("rule", flat=True))


def test_appended_events_get_their_findings_when_the_batch_commits(
    commune, django_capture_on_commit_callbacks
):
    lines = received("H-1") + [
        line("H-1", 4, "2026-10-05T09:00:00+07:00", "supplement_requested", "C1",
             documents=["Giấy chứng sinh"], reason="thiếu"),
        line("H-1", 5, "2026-10-05T10:00:00+07:00", "supplement_received", "C1"),
        line("H-1", 6, "2026-10-05T11:00:00+07:00", "supplement_requested", "C1",
             documents=["Tờ khai"], reason="lại thiếu"),
    ]  # fmt: skip
    with (
        time_machine.travel(at("2026-10-05T11:30"), tick=False),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        events_ingest(lines)
    # one job for the batch, whatever its size; the findings it stores queue their notices
    assert [c.func for c in callbacks] == [
        findings_refresh_task.enqueue,
        findings_notify_task.enqueue,
    ]
    finding = Finding.objects.get(item__code="H-1", rule="REPEATED_SUPPLEMENT")
    assert finding.events == [4, 6] and finding.unit == "C1"
    assert finding.ruleset == "ND118/2025" and finding.severity == "high"
    assert ItemCheck.objects.get(item__code="H-1").checked_seq == 6


def test_ingest_without_findings_schedules_nothing(commune, django_capture_on_commit_callbacks):
    with (
        time_machine.travel(at("2026-10-05T11:30"), tick=False),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        events_ingest(received("H-1"), findings=False)
    assert callbacks == []


def test_the_clock_alone_makes_a_dossier_overdue_and_a_late_result_lapses_it(commune):
    with time_machine.travel(at("2026-10-05T08:30"), tick=False):
        events_ingest(received("H-1"), findings=False)
    # due Thu 08/10 08:00; at Thu 09:00 it is overdue without any new event
    run = findings_sweep(now=at("2026-10-08T09:00"))
    assert "OVERDUE" in rules_of("H-1")
    assert run.items == 1 and len(run.created) >= 1
    overdue = Finding.objects.get(item__code="H-1", rule="OVERDUE")
    assert overdue.at == at("2026-10-08T08:00") and overdue.official == "GINA"
    assert Item.objects.get(code="H-1").late  # the summary row moved on with the sweep

    with time_machine.travel(at("2026-10-08T10:00"), tick=False):
        events_ingest(
            [line("H-1", 4, "2026-10-08T10:00:00+07:00", "resolved", "C1", result="approved")],
            findings=False,
        )
    run = findings_refresh(Item.objects.filter(code="H-1"), now=at("2026-10-08T10:00"))
    overdue.refresh_from_db()
    assert overdue.lapsed_at == at("2026-10-08T10:00")  # kept, never deleted
    assert "LATE_RESULT" in rules_of("H-1") and "OVERDUE" not in rules_of("H-1")
    assert run.lapsed == 1


def test_checking_again_changes_nothing(commune):
    with time_machine.travel(at("2026-10-05T08:30"), tick=False):
        events_ingest(received("H-1") + received("H-2"), findings=False)
    first = findings_sweep(now=at("2026-10-09T09:00"))
    rows = list(Finding.objects.order_by("pk").values())
    again = findings_sweep(now=at("2026-10-09T09:00"))
    assert first.created and not again.created
    assert (again.updated, again.lapsed) == (0, 0)
    assert list(Finding.objects.order_by("pk").values()) == rows


def test_sweep_catches_up_finished_items_whose_check_was_lost(commune):
    lines = received("H-1") + [
        line("H-1", 4, "2026-10-09T10:00:00+07:00", "resolved", "C1", result="approved")
    ]
    with time_machine.travel(at("2026-10-09T11:00"), tick=False):
        events_ingest(lines, findings=False)  # as if the job had been lost
    assert not ItemCheck.objects.exists()
    findings_sweep(now=at("2026-10-09T11:00"))
    assert "LATE_RESULT" in rules_of("H-1")
    assert ItemCheck.objects.get(item__code="H-1").checked_seq == 4


def test_province_thresholds_change_what_is_a_violation(commune):
    with time_machine.travel(at("2026-10-05T08:30"), tick=False):
        events_ingest(received("H-1"), findings=False)
    findings_sweep(now=at("2026-10-07T09:00"))
    assert "IDLE" not in rules_of("H-1")  # 2 working days without an event: allowed
    ThresholdSetting.objects.create(
        procedure="1.001193", values={"idle_after": {"working_days": 1}}
    )
    findings_sweep(now=at("2026-10-07T09:00"))
    assert "IDLE" in rules_of("H-1")


def test_refresh_makes_the_same_number_of_queries_for_3_items_as_for_30(commune):
    with time_machine.travel(at("2026-10-05T08:30"), tick=False):
        events_ingest([x for i in range(33) for x in received(f"H-{i:02}")], findings=False)

    def queries(items) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            run = findings_refresh(items, now=at("2026-10-09T09:00"))
        assert run.created
        # SQLite takes at most 999 parameters: a long INSERT is split, the same statement
        return [q["sql"].split("(")[0].split(' "s')[0] for q in ctx.captured_queries]

    few = queries(Item.objects.filter(code__lt="H-03"))
    many = queries(Item.objects.filter(code__gte="H-03"))
    assert sorted(set(few)) == sorted(set(many)) and len(many) <= len(few) + 2


@pytest.fixture
def overdue_finding(commune):
    with time_machine.travel(at("2026-10-05T08:30"), tick=False):
        events_ingest(received("H-1"), findings=False)
    findings_sweep(now=at("2026-10-08T09:00"))
    return Finding.objects.get(item__code="H-1", rule="OVERDUE")


def test_head_justifies_and_supervisor_accepts(overdue_finding, commune):
    hung, dave = commune.hung, commune.cast.users.dave
    j = justification_submit(
        finding=overdue_finding, actor=hung, reason="  Mất điện toàn xã hai ngày.  "
    )
    overdue_finding.refresh_from_db()
    assert (
        overdue_finding.review == Finding.Review.PENDING
        and j.reason == "Mất điện toàn xã hai ngày."
    )
    with pytest.raises(JustificationStateError):
        justification_submit(finding=overdue_finding, actor=hung, reason="lần hai")
    justification_review(justification=j, actor=dave, accept=True, note="Có xác nhận của điện lực.")
    overdue_finding.refresh_from_db()
    j.refresh_from_db()
    assert overdue_finding.review == Finding.Review.ACCEPTED
    assert j.reviewed_by == dave and j.status == "accepted"
    with pytest.raises(JustificationStateError):
        justification_review(justification=j, actor=dave, accept=False)


def test_a_rejected_justification_may_be_followed_by_another(overdue_finding, commune):
    hung, bob = commune.hung, commune.cast.users.bob
    j = justification_submit(finding=overdue_finding, actor=hung, reason="Bận họp.")
    justification_review(justification=j, actor=bob, accept=False, note="Không phải lý do.")
    overdue_finding.refresh_from_db()
    assert overdue_finding.review == Finding.Review.REJECTED
    justification_submit(finding=overdue_finding, actor=hung, reason="Chờ kết quả xác minh.")
    assert overdue_finding.justifications.count() == 2


def test_only_heads_justify_and_only_supervisors_review(overdue_finding, commune):
    users = commune.cast.users
    for outsider in (commune.gina, users.alice, users.carol):
        with pytest.raises(JustificationNotAllowedError):
            justification_submit(finding=overdue_finding, actor=outsider, reason="x")
    j = justification_submit(finding=overdue_finding, actor=commune.hung, reason="Lý do.")
    for not_reviewer in (commune.hung, users.alice, commune.gina):
        with pytest.raises(JustificationNotAllowedError):
            justification_review(justification=j, actor=not_reviewer, accept=True)
