"""The dossier actions: each is one ledger event, and the law's limits on the action hold."""

from __future__ import annotations

import datetime as dt

import pytest

from congvu.apps.dossiers import services as s
from congvu.apps.dossiers.models import Applicant
from congvu.apps.ledger.models import Event, Item
from congvu.apps.ledger.records import item_events

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))


def _receive(**kw) -> Item:
    return s.dossier_receive(
        agency="C1",
        actor="CAROL",
        procedure="1.001193",
        channel="direct",
        applicant={"name": "Nguyễn Thị Hằng", "phone": "0912345678"},
        documents=["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
        **kw,
    )


def test_receipt_issues_code_slip_event_and_due(commune, monday):
    item = _receive()
    assert item.code == "C1-261005-0001"
    # 3 working days from Monday 08:00 → Thursday 08:00.
    assert item.due == dt.datetime(2026, 10, 8, 8, 0, tzinfo=VN)
    assert [e.type for e in item_events(item)] == ["received", "appointment_issued"]
    assert item_events(item)[1].moment("due") == item.due
    assert item.has_appointment and item.agency == "C1" and len(item.secret) == 6
    applicant = Applicant.objects.get(item=item)
    assert applicant.name == "Nguyễn Thị Hằng" and len(applicant.documents) == 2
    assert _receive().code == "C1-261005-0002"


def test_the_full_path_to_a_rating(commune, monday):
    item = _receive()
    s.dossier_assign(item, actor="CAROL", official="GINA", step="review")
    monday.shift(dt.timedelta(hours=3))
    s.dossier_step_complete(item, actor="GINA", step="review")
    s.dossier_resolve(item, actor="HUNG", result="approved")
    item.refresh_from_db()
    s.dossier_return(item, actor="CAROL")
    item.refresh_from_db()
    assert item.status == "returned" and not item.late
    s.dossier_rate(item, score=5)
    item.refresh_from_db()
    assert item.rating == 5
    with pytest.raises(s.ActionRefused, match="đã được đánh giá"):
        s.dossier_rate(item, score=4)


def test_second_supplement_request_warns_then_records_when_confirmed(commune, monday):
    item = _receive()
    s.dossier_supplement_request(item, actor="GINA", documents=["Giấy chứng sinh"], reason="Mờ")
    item.refresh_from_db()
    assert item.status == "paused"
    s.dossier_supplement_receive(item, actor="CAROL")
    item.refresh_from_db()
    with pytest.raises(s.SecondSupplementWarning, match="trái quy định"):
        s.dossier_supplement_request(item, actor="GINA", documents=["CCCD"], reason="Thiếu")
    assert Event.objects.filter(type="supplement_requested").count() == 1
    s.dossier_supplement_request(
        item, actor="GINA", documents=["CCCD"], reason="Thiếu", confirm_repeat=True
    )
    last = item_events(item)[-1]
    assert last.type == "supplement_requested" and last.data["repeat_acknowledged"] is True
    item.refresh_from_db()
    assert item.supplement_count == 2


def test_apology_needs_a_working_day_of_notice_and_only_once(commune, monday):
    item = _receive()  # due Thursday 08:00
    new_due = dt.datetime(2026, 10, 9, 17, 0, tzinfo=VN)
    monday.move_to(dt.datetime(2026, 10, 7, 9, 0, tzinfo=VN))  # Wednesday 09:00: < 1 day left
    with pytest.raises(s.ActionRefused, match="chậm nhất 1 ngày làm việc"):
        s.dossier_apology(item, actor="HUNG", new_due=new_due, reason="Chờ xác minh")
    monday.move_to(dt.datetime(2026, 10, 7, 8, 0, tzinfo=VN))  # exactly 1 working day before
    s.dossier_apology(item, actor="HUNG", new_due=new_due, reason="Chờ xác minh")
    item.refresh_from_db()
    assert item.due == new_due and item.apology_count == 1
    with pytest.raises(s.ActionRefused, match="không được hẹn lại lần nữa"):
        s.dossier_apology(
            item, actor="HUNG", new_due=new_due + dt.timedelta(days=1), reason="Lại chậm"
        )


def test_overdue_follows_the_clock(commune, monday):
    item = _receive()
    monday.move_to(dt.datetime(2026, 10, 8, 8, 0, 1, tzinfo=VN))
    from congvu.apps.dossiers.selectors import dossier_view

    state = dossier_view(item).state
    assert state.overdue and state.late


def test_finished_dossiers_refuse_actions(commune, monday):
    item = _receive()
    s.dossier_refuse(item, actor="CAROL", reason="Không thuộc thẩm quyền")
    item.refresh_from_db()
    with pytest.raises(s.ActionRefused, match="đã kết thúc"):
        s.dossier_assign(item, actor="CAROL", official="GINA")
    with pytest.raises(s.ActionRefused, match="chưa có kết quả"):
        s.dossier_return(item, actor="CAROL")
