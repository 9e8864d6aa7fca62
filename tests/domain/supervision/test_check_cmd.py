"""``congvu check``: the pure CLI over an event file (no Django, no database)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.cli import check_cmd, main
from congvu.cli.check_parallel import ranges
from congvu.domain.calendar import VN_TZ
from congvu.domain.supervision import Finding, Severity

from .builders import CATALOG_JSON, VN, History, dossier

NOW = "2025-03-20T08:00:00+07:00"


def _histories() -> list[str]:
    late = dossier("2025-03-03T08:00", item="H-1").slip("2025-03-03T08:05", "2025-03-06T08:00")
    late.step("2025-03-03T09:00", "receive", "mc-1")
    fine = dossier("2025-03-10T08:00", item="H-2").slip("2025-03-10T08:05", "2025-03-13T08:00")
    fine.step("2025-03-10T09:00", "receive", "mc-1").resolve("2025-03-10T10:00")
    return late.lines + fine.lines


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(_histories()) + "\n", encoding="utf-8")
    catalog = tmp_path / "procedures.json"
    catalog.write_text(CATALOG_JSON, encoding="utf-8")
    return {"events": events, "catalog": catalog, "dir": tmp_path}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_default_output_is_a_vietnamese_table(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, out, err = run(
        capsys, str(files["events"]), "--procedures", str(files["catalog"]), "--now", NOW
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Mục", "Quy", "tắc"]
    overdue = next(line for line in lines if "OVERDUE" in line)
    assert overdue.split()[:3] == ["H-1", "OVERDUE", "cao"]
    assert "06/03/2025 08:00" in overdue and "1, 2" in overdue
    assert "Tổng cộng" in out and "Quá hạn giải quyết" in out
    assert "H-2" not in out


def test_english_table(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    args = (str(files["events"]), "--procedures", str(files["catalog"]), "--now", NOW)
    code, out, _ = run(capsys, *args, "--lang", "en")
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["Item", "Rule"]
    assert "finding(s) in total" in out and "Overdue" in out and "high" in out


def test_json_output(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    args = (str(files["events"]), "--procedures", str(files["catalog"]), "--now", NOW)
    code, out, _ = run(capsys, *args, "--json")
    assert code == 0
    found = json.loads(out)
    assert {"item", "rule", "unit", "official", "at", "events"} <= set(found[0])
    overdue = next(f for f in found if f["rule"] == "OVERDUE")
    assert overdue == {
        "item": "H-1",
        "rule": "OVERDUE",
        "unit": "XA-01",
        "official": "mc-1",
        "at": "2025-03-06T08:00:00+07:00",
        "events": [1, 2],
        "source": "local",
        "kind": "dossier",
        "severity": "high",
        "ruleset": "ND61/2018+107/2021",
        "key": "OVERDUE",
    }
    assert [f["item"] for f in found] == sorted(f["item"] for f in found)


def test_no_findings(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    on_time = [line for line in _histories() if '"H-2"' in line]
    files["events"].write_text("\n".join(on_time) + "\n", encoding="utf-8")
    args = (str(files["events"]), "--procedures", str(files["catalog"]))
    code, out, _ = run(capsys, *args, "--now", "2025-03-10T11:00:00+07:00")
    assert code == 0
    assert out.startswith("Không có phát hiện nào.")
    code, out, _ = run(capsys, *args, "--now", "2025-03-10T11:00:00+07:00", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_bad_lines_are_reported_with_their_numbers_and_the_rest_is_checked(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    lines = _histories()
    lines.insert(1, "{not json")
    lines.insert(3, "")
    lines.insert(4, json.dumps({"item": "X", "kind": "dossier", "seq": 1}))
    files["events"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = (str(files["events"]), "--procedures", str(files["catalog"]), "--now", NOW)
    code, out, err = run(capsys, *args)
    assert code == 1
    assert err.splitlines()[0].startswith("congvu check: Dòng 2")
    assert "Dòng 5, mục X, khóa «at»: thiếu khóa bắt buộc" in err
    assert "OVERDUE" in out
    code, _, err = run(capsys, *args, "--lang", "en")
    assert "Line 5, item X, key “at”: required key is missing" in err


def test_an_item_that_cannot_be_checked_is_reported(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, out, err = run(capsys, str(files["events"]), "--now", NOW)  # no catalog
    assert code == 1
    assert "Mục H-1: thủ tục 1.004227 không có trong danh mục thủ tục" in err
    assert "Không có phát hiện nào." in out


@pytest.mark.parametrize(
    ("argv", "lang", "message"),
    [
        (["--now", "2025-03-20T08:00"], "vi", "thiếu múi giờ"),
        (["--now", "2025-03-20T08:00"], "en", "has no UTC offset"),
        (["--now", "hôm qua"], "vi", "không phải thời điểm ISO 8601"),
        (["--thresholds", "missing.json"], "en", "cannot read threshold file"),
        (["--procedures", "missing.json"], "vi", "không đọc được danh mục thủ tục"),
    ],
)
def test_bad_arguments_exit_2(
    capsys: pytest.CaptureFixture[str],
    files: dict[str, Path],
    argv: list[str],
    lang: str,
    message: str,
) -> None:
    code, out, err = run(capsys, str(files["events"]), *argv, "--lang", lang)
    assert (code, out) == (2, "")
    assert message in err


def test_unreadable_inputs_exit_2(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, _, err = run(capsys, str(files["dir"] / "nope.jsonl"), "--now", NOW)
    assert code == 2 and "không đọc được tệp sự kiện" in err
    bad = files["dir"] / "bad.json"
    bad.write_text('[{"code": "X", "name": "Y"}]', encoding="utf-8")
    code, _, err = run(capsys, str(files["events"]), "--procedures", str(bad), "--now", NOW)
    assert code == 2 and "[catalog_invalid]" in err
    bad.write_text('{"default": {"idel_after": 3}}', encoding="utf-8")
    code, _, err = run(capsys, str(files["events"]), "--thresholds", str(bad), "--now", NOW)
    assert code == 2 and "«default.idel_after»" in err


def test_thresholds_file(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    quiet = files["dir"] / "thresholds.json"
    quiet.write_text('{"default": {"idle_after": {"working_days": 1}}}', encoding="utf-8")
    args = (str(files["events"]), "--procedures", str(files["catalog"]), "--now", NOW, "--json")
    _, out, _ = run(capsys, *args)
    _, out_strict, _ = run(capsys, *args, "--thresholds", str(quiet))
    idle = [f for f in json.loads(out_strict) if f["rule"] == "IDLE"]
    assert idle and not [f for f in json.loads(out) if f["rule"] == "IDLE" and f["key"] == "IDLE:1"]


def test_standard_input(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = files["events"].read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, _ = run(capsys, "-", "--procedures", str(files["catalog"]), "--now", NOW)
    assert code == 0 and "OVERDUE" in out


def test_worker_processes_give_the_same_output(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = _histories()
    for k in range(40):
        h = dossier(f"2025-03-{3 + k % 20:02}T08:00", item=f"HX-{k}")
        h.supplement(f"2025-03-{3 + k % 20:02}T09:00").supplement(f"2025-03-{3 + k % 20:02}T10:00")
        lines += h.lines
    lines.append("{broken")
    lines.sort(key=lambda line: line[20:60])  # shuffle the items together
    files["events"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = (str(files["events"]), "--procedures", str(files["catalog"]), "--now", NOW)
    serial = run(capsys, *args, "--jobs", "1", "--json")
    monkeypatch.setattr(check_cmd, "PARALLEL_MIN_BYTES", 0)
    parallel = run(capsys, *args, "--jobs", "2", "--json")
    assert serial == parallel
    assert serial[0] == 1 and len(json.loads(serial[1])) > 30


@pytest.mark.parametrize("jobs", [2, 3, 7])
def test_items_cut_by_the_workers_ranges_are_checked_whole(
    capsys: pytest.CaptureFixture[str],
    files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    jobs: int,
) -> None:
    # every item's lines spread over the file, a blank line and bad lines in between: each
    # range holds part of every item, and the line numbers must still be the file's
    lines: list[str] = []
    for k in range(12):
        h = dossier(f"2025-03-{3 + k % 10:02}T08:00", item=f"HX-{k}")
        h.slip(f"2025-03-{3 + k % 10:02}T08:05", f"2025-03-{6 + k % 10:02}T08:00")
        h.supplement(f"2025-03-{3 + k % 10:02}T09:00").supplement(f"2025-03-{3 + k % 10:02}T10:00")
        lines += h.lines
    lines.sort(key=lambda line: json.loads(line)["seq"])  # seq 1 of every item first, …
    lines.insert(5, "")
    lines.insert(17, "{broken")
    lines.insert(30, '{"item": "HX-3", "kind": "dossier"}')
    lines.append(
        '{"item":"HX-1","kind":"dossier","seq":2,"at":"2025-03-04T09:00+07:00",'
        '"type":"supplement_requested","unit":"XA-01","data":{"documents":["x"],'
        '"reason":"other content"}}'
    )
    files["events"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = (str(files["events"]), "--procedures", str(files["catalog"]), "--now", NOW)
    serial = run(capsys, *args, "--jobs", "1", "--json")
    monkeypatch.setattr(check_cmd, "PARALLEL_MIN_BYTES", 0)
    parallel = run(capsys, *args, "--jobs", str(jobs), "--json")
    assert serial == parallel
    assert "Dòng 18" in serial[2] and "Dòng 31" in serial[2] and "HX-1" in serial[2]
    assert len(json.loads(serial[1])) > 10


def test_ranges_start_at_line_starts(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    data = b"a\nbb\n\nccc\ndddd"
    path.write_bytes(data)
    for jobs in range(1, 9):
        cuts = ranges(str(path), jobs)
        assert cuts[0][0] == 0 and cuts[-1][1] == path.stat().st_size
        for (_, end), (start, _) in zip(cuts, cuts[1:], strict=False):
            assert end == start
            assert start in (0, len(data)) or data[start - 1 : start] == b"\n"


def test_feedback_items_without_a_procedure(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    fb = History("PA-1", kind="feedback").add(
        "2025-03-03T08:00",
        "received",
        unit="TTHCC",
        category="c",
        channel="hotline",
        due="2025-03-05T08:00",
    )
    files["events"].write_text("\n".join(fb.lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, str(files["events"]), "--now", NOW, "--json")
    assert code == 0 and {f["rule"] for f in json.loads(out)} == {"OVERDUE", "IDLE"}


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(st.text(), min_size=6, max_size=6),
    official=st.none() | st.text(),
    at=st.datetimes(
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001 — made aware below
        max_value=datetime(2030, 1, 1),  # noqa: DTZ001
        timezones=st.sampled_from([VN_TZ, UTC, timezone(timedelta(hours=-5))]),
    ),
    events=st.lists(st.integers(1, 10**6), max_size=5),
    severity=st.sampled_from(list(Severity)),
)
def test_a_finding_is_written_as_json_dumps_writes_it(
    texts: list[str],
    official: str | None,
    at: datetime,
    events: list[int],
    severity: Severity,
) -> None:
    item, rule, unit, source, ruleset, key = texts
    f = Finding(
        rule, source, item, "dossier", unit, official, at, tuple(events), severity, ruleset, key
    )
    assert check_cmd.finding_json(f) == json.dumps(f.to_dict(), ensure_ascii=False)


class _Pipe(io.BytesIO):
    """A stream that cannot be read again, as standard input from a pipe."""

    def seekable(self) -> bool:
        return False


def test_items_on_the_reference_path_are_read_again_from_a_file_or_kept_from_a_pipe(
    files: dict[str, Path],
) -> None:
    # a re-sent event with other content (the reference path reports the item) and a
    # reopened item (the reference path checks it) beside common ones
    lines = _histories()
    reopened = dossier("2025-03-11T08:00", item="H-3").resolve("2025-03-11T09:00")
    reopened.add("2025-03-12T08:00", "reopened", reason="sai")
    lines += reopened.lines
    lines.append(lines[1].replace('"seq": 2', '"seq": 1').replace("08:05", "08:06"))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    settings = check_cmd.Settings(
        catalog=check_cmd._load_catalog(str(files["catalog"]), "vi"),
        thresholds=check_cmd.DEFAULT_CONFIG,
        calendar=VN,
        now=datetime.fromisoformat(NOW),
        as_json=True,
        lang="en",
    )
    from_file = check_cmd.check_serial(io.BytesIO(data), settings)
    from_pipe = check_cmd.check_serial(_Pipe(data), settings)
    assert from_file.rows == from_pipe.rows and from_file.problems == from_pipe.problems
    assert from_file.unchecked == 1 and any("H-3" in row[0] for row in from_file.rows)
