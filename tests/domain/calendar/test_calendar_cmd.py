"""`congvu calendar …` through congvu.cli.calendar_cmd.main (no Django for "VN")."""

from __future__ import annotations

import json
import sys
from datetime import date

import pytest

from congvu.cli import calendar_cmd
from congvu.domain.calendar import DayEntry, DayKind, national_calendar


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = calendar_cmd.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_add_days_over_tet_2025(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "add-days", "2025-01-24T16:00+07:00", "3")
    assert (code, out) == (0, "2025-02-05T16:00:00+07:00\n")


def test_add_hours_and_between(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "add-hours", "2025-03-07T15:00+07:00", "8")[1] == (
        "2025-03-10T15:00:00+07:00\n"
    )
    assert run(capsys, "between", "2025-01-24T16:00+07:00", "2025-02-05T16:00:00+07:00")[1] == (
        "24\n"
    )
    assert run(capsys, "between", "2025-03-05T10:00+07:00", "2025-03-05T10:20+07:00")[1] == (
        "0.333333\n"
    )


def test_year_2026_lists_the_official_days(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "year", "2026")
    assert code == 0
    lines = out.splitlines()
    days = [line.split()[3] for line in lines[:-1]]
    for iso in ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
                "2026-04-27", "2026-08-31", "2026-09-01", "2026-09-02", "2026-11-24",
                "2026-08-22"]:  # fmt: skip
        assert iso in days
    assert "Thứ Bảy 22/08/2026  2026-08-22  làm việc: Ngày làm bù" in out
    assert "Thứ Ba 24/11/2026  2026-11-24  nghỉ: Ngày Văn hóa Việt Nam (24/11)" in out
    assert lines[-1] == (
        "Tổng năm 2026 (VN): 13 ngày nghỉ vào ngày thường, 1 ngày làm việc vào cuối tuần, "
        "249 ngày làm việc."
    )


def test_year_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "year", "2025", "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["summary"] == {"weekdays_off": 12, "weekend_days_worked": 1, "working_days": 250}
    assert {"day": "2025-04-26", "kind": "working_day"}.items() <= doc["days"][7].items()


def test_year_2027_marks_estimates(capsys: pytest.CaptureFixture[str]) -> None:
    assert "(ước tính)" in run(capsys, "year", "2027")[1]


def test_explain_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "2025-01-25T21:40+07:00", "3")
    assert code == 0
    assert out.splitlines()[-1] == "Hạn: 17:00 Thứ Tư 05/02/2025."
    code, out, _ = run(capsys, "explain", "2025-03-07T15:00+07:00", "8", "--hours", "--json")
    assert json.loads(out)["due"] == "2025-03-10T15:00:00+07:00"
    code, out, _ = run(capsys, "explain", "2025-03-07T15:00+07:00", "1", "--lang", "en")
    assert out.splitlines()[-1] == "Due: 15:00 Monday 10/03/2025."


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["add-days", "2025-01-24T16:00", "3"], "START: '2025-01-24T16:00' thiếu múi giờ"),
        (["add-days", "24/01/2025", "3"], "START: '24/01/2025' không phải thời điểm ISO 8601"),
        (["add-days", "2025-01-24T16:00+07:00", "ba"], "N: 'ba' không phải một số"),
        (["add-hours", "2025-01-24T16:00+07:00", "nan"], "H: 'nan' không phải một số"),
        (["between", "2025-01-24T16:00+07:00", "x"], "B: 'x' không phải thời điểm"),
        (["year", "26"], "YYYY: '26' không phải năm"),
        (["year", "2035"], "[calendar_out_of_range]"),
        (["explain", "2025-01-24T16:00+07:00", "-1"], "[calendar_invalid_amount]"),
        (["add-days"], "the following arguments are required"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == "" or out.startswith("usage")
    assert needle in err
    assert "lỗi" in err


def test_errors_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "add-days", "2025-01-24T16:00", "3", "--lang", "en")
    assert code == 2
    assert "error: START: '2025-01-24T16:00' has no UTC offset" in err


def test_national_calendar_does_not_import_django(capsys: pytest.CaptureFixture[str]) -> None:
    before = "django" in sys.modules
    run(capsys, "add-days", "2025-01-24T16:00+07:00", "3")
    assert ("django" in sys.modules) == before


def test_other_calendars_come_from_the_selector(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    unit = national_calendar().with_exceptions(
        [DayEntry(date(2025, 3, 10), DayKind.DAY_OFF, "Lễ hội xã")],
        code="XA-1",
        name="Xã 1",
    )
    seen: list[str] = []

    def fake_load(code: str) -> object:
        seen.append(code)
        return unit

    monkeypatch.setattr(calendar_cmd, "load_calendar", fake_load)
    code, out, _ = run(capsys, "add-days", "2025-03-07T16:55+07:00", "1", "--calendar", "XA-1")
    assert (code, out, seen) == (0, "2025-03-11T16:55:00+07:00\n", ["XA-1"])
