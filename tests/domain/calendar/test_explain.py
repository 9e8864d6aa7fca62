"""Explanations of due moments, in Vietnamese and English."""

from __future__ import annotations

import json

import pytest

from congvu.domain.calendar import (
    InvalidAmountError,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    explain,
)

from .conftest import at


def test_saturday_night_during_tet_names_the_holidays_crossed(vn: WorkCalendar) -> None:
    e = explain(vn, at("2025-01-25T21:40"), 3)
    lines = e.lines("vi")
    assert lines[1] == (
        "Nhận lúc 21:40 Thứ Bảy 25/01/2025, ngoài giờ hành chính, ngày nghỉ: "
        "Tết Nguyên đán (26 tháng Chạp) → tính từ 07:30 Thứ Hai 03/02/2025."
    )
    assert "  – Thứ Tư 29/01/2025: Tết Nguyên đán (mùng 1 Tết)" in lines
    assert (
        "Quy tắc: 3 ngày làm việc = 24 giờ hành chính, mỗi ngày 8 giờ: 07:30–11:30, 13:00–17:00."
        in lines
    )
    assert lines[-1] == "Hạn: 17:00 Thứ Tư 05/02/2025."
    assert e.start_reason == "non_working_day"
    assert len(e.skipped_before_start) == 9


def test_swap_2024_lists_skipped_days_and_the_make_up_saturday(vn: WorkCalendar) -> None:
    e = explain(vn, at("2024-04-26T10:00"), 5)
    assert [n.day.isoformat() for n in e.skipped] == [
        "2024-04-27",
        "2024-04-28",
        "2024-04-29",
        "2024-04-30",
        "2024-05-01",
        "2024-05-05",
    ]
    assert [n.day.isoformat() for n in e.makeup_days] == ["2024-05-04"]
    assert [u.seconds for u in e.consumption] == [19800, 28800, 28800, 28800, 28800, 9000]
    assert sum(u.seconds for u in e.consumption) == e.seconds == 5 * 28800
    lines = e.lines("vi")
    assert (
        "Nhận lúc 10:00 Thứ Sáu 26/04/2024, trong giờ hành chính → tính ngay từ lúc nhận." in lines
    )
    assert any(line.startswith("  – Thứ Hai 29/04/2024: Nghỉ hoán đổi") for line in lines)
    assert any(line.startswith("  – Thứ Bảy 04/05/2024: Ngày làm bù") for line in lines)
    assert "  – Thứ Ba 07/05/2024: 07:30–10:00, 2 giờ 30 phút (lũy kế 40 giờ)" in lines


def test_english_lines(vn: WorkCalendar) -> None:
    lines = explain(vn, at("2025-03-05T12:10"), 0.5).lines("en")
    assert lines[1] == (
        "Received at 12:10 Wednesday 05/03/2025, during the lunch break → "
        "counting starts at 13:00 Wednesday 05/03/2025."
    )
    assert lines[2] == (
        "Rule: 0.5 working days = 4 h of office time, 8 h per day: 07:30–11:30, 13:00–17:00."
    )
    assert lines[-1] == "Due: 17:00 Wednesday 05/03/2025."


def test_weekend_names_follow_the_language(vn: WorkCalendar) -> None:
    lines = explain(vn, at("2025-03-07T16:55"), 1).lines("en")
    assert "  – Saturday 08/03/2025: Saturday" in lines
    assert "  – Thứ Bảy 08/03/2025: Thứ Bảy" in explain(vn, at("2025-03-07T16:55"), 1).lines()


@pytest.mark.parametrize(
    ("received", "n", "unit"),
    [
        ("2025-01-24T16:00", 3, "days"),
        ("2026-08-21T09:00", 2, "days"),
        ("2025-03-07T15:00", 8, "hours"),
        ("2025-03-08T10:00", 0, "days"),
        ("2026-02-13T16:00", 2.5, "hours"),
    ],
)
def test_due_equals_the_arithmetic(vn: WorkCalendar, received: str, n: float, unit: str) -> None:
    e = explain(vn, at(received), n, unit=unit)  # type: ignore[arg-type]
    add = add_working_days if unit == "days" else add_working_hours
    assert e.due == add(vn, at(received), n)
    assert e.calendar_code == "VN"


def test_as_dict_is_json_ready(vn: WorkCalendar) -> None:
    doc = explain(vn, at("2025-01-24T16:00"), 3).as_dict()
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc
    assert doc["due"] == "2025-02-05T16:00:00+07:00"
    assert doc["calendar"] == "VN"
    assert doc["seconds"] == 86400


@pytest.mark.parametrize(("n", "unit"), [(-1, "days"), (1, "weeks")])
def test_invalid_requests_raise(vn: WorkCalendar, n: float, unit: str) -> None:
    with pytest.raises(InvalidAmountError):
        explain(vn, at("2025-03-05T10:00"), n, unit=unit)  # type: ignore[arg-type]
