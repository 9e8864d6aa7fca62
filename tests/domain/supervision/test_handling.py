"""STEP_LATE, BOUNCED and UNRELATED_CONSULTATION: how the item moved through the offices."""

from __future__ import annotations

import pytest

from congvu.domain.supervision import Thresholds

from .builders import CATALOG, History, at, check, dossier, of

# Birth registration: receive 4 working hours, review 2 working days, approve 4 hours.


@pytest.mark.parametrize(
    ("done", "late"), [("2025-03-03T13:30", False), ("2025-03-03T13:31", True)]
)
def test_the_reception_step_over_its_budget(done: str, late: bool) -> None:
    # received Mon 08:00: 3 h 30 to 11:30, then 30 min after lunch → budget ends 13:30
    h = dossier("2025-03-03T08:00").slip("2025-03-03T08:05", "2025-03-06T08:00")
    h.step(done, "receive", "mc-1")
    found = of(check(h, "2025-03-03T16:00"), "STEP_LATE")
    assert bool(found) is late
    if late:
        assert (found[0].at, found[0].unit, found[0].official, found[0].events, found[0].key) == (
            at("2025-03-03T13:30"),
            "XA-01",
            "mc-1",
            (1, 3),
            "STEP_LATE:receive",
        )


def test_a_running_step_is_late_once_now_passes_its_budget() -> None:
    h = dossier("2025-03-03T08:00")
    assert of(check(h, "2025-03-03T13:30"), "STEP_LATE") == []
    assert len(of(check(h, "2025-03-03T13:31"), "STEP_LATE")) == 1


@pytest.mark.parametrize(
    ("done", "late"), [("2025-03-07T09:00", False), ("2025-03-07T10:00", True)]
)
def test_a_step_budget_does_not_count_the_wait_for_a_supplement(done: str, late: bool) -> None:
    # review from Mon 09:00; 8 h used by Tue 09:00; waiting Tue 09:00 → Thu 09:00; the other
    # 8 h end Fri 07/03 09:00
    h = dossier("2025-03-03T08:00").slip("2025-03-03T08:05", "2025-03-06T08:00")
    h.step("2025-03-03T09:00", "receive", "mc-1").assign("2025-03-03T09:30", "cv-1", "review")
    h.supplement("2025-03-04T09:00").supplied("2025-03-06T09:00")
    h.step(done, "review", "cv-1")
    found = [
        f for f in of(check(h, "2025-03-07T11:00"), "STEP_LATE") if f.key == "STEP_LATE:review"
    ]
    assert bool(found) is late
    if late:
        assert (found[0].at, found[0].official, found[0].events) == (
            at("2025-03-07T09:00"),
            "cv-1",
            (3, 4, 7),
        )


@pytest.mark.parametrize(
    ("answered", "now", "late"),
    [
        ("2025-03-05T17:00", "2025-03-06T08:00", False),
        ("2025-03-06T08:00", "2025-03-06T09:00", True),
        (None, "2025-03-05T17:00", False),
        (None, "2025-03-05T17:01", True),
    ],
)
def test_a_consulted_unit_over_its_deadline(answered: str | None, now: str, late: bool) -> None:
    h = dossier("2025-03-03T08:00").slip("2025-03-03T08:05", "2025-03-07T17:00")
    h.add("2025-03-03T10:00", "consulted", actor="cv-1", to_unit="CA-XA", due="2025-03-05T17:00")
    if answered is not None:
        h.add(answered, "consultation_answered", unit="CA-XA", from_unit="CA-XA")
    found = [f for f in of(check(h, now), "STEP_LATE") if f.key.startswith("STEP_LATE:consult")]
    assert bool(found) is late
    if late:
        assert (found[0].at, found[0].unit, found[0].official, found[0].key) == (
            at("2025-03-05T17:00"),
            "CA-XA",
            None,
            "STEP_LATE:consult:3",
        )
        assert found[0].events == ((3, 4) if answered else (3,))


def test_a_calendar_day_step_budget() -> None:
    # 5 calendar days for "check": started Mon 03/03 08:00 → Sat 08/03 08:00
    h = dossier("2025-03-03T08:00", procedure="2.000001")
    (f,) = of(check(h, "2025-03-08T09:00", procedure=CATALOG["2.000001"]), "STEP_LATE")
    assert f.at == at("2025-03-08T08:00")


@pytest.mark.parametrize(
    ("path", "fires_at"),
    [
        (["XA-02"], None),
        (["XA-02", "XA-03"], None),
        (["XA-02", "XA-01"], 2),  # back to the receiving unit
        (["XA-02", "XA-03", "XA-04"], 3),  # three transfers
    ],
)
def test_bounced(path: list[str], fires_at: int | None) -> None:
    h = dossier("2025-03-03T08:00")
    holder = "XA-01"
    for k, to_unit in enumerate(path):
        h.transfer(f"2025-03-03T{9 + k:02}:00", to_unit, unit=holder)
        holder = to_unit
    found = of(check(h, "2025-03-03T16:00"), "BOUNCED")
    if fires_at is None:
        assert found == []
        return
    (f,) = found
    assert (f.at, f.events, f.unit, f.official) == (
        at(f"2025-03-03T{8 + fires_at:02}:00"),
        tuple(range(2, 2 + fires_at)),
        path[fires_at - 2],
        "cv-1",
    )


def test_bounced_thresholds_and_the_way_home_after_the_result() -> None:
    h = dossier("2025-03-03T08:00").transfer("2025-03-03T09:00", "XA-02")
    h.transfer("2025-03-03T10:00", "XA-01", unit="XA-02")
    lenient = Thresholds(bounce_on_return=False)
    assert of(check(h, "2025-03-03T16:00", thresholds=lenient), "BOUNCED") == []
    home = dossier("2025-03-03T08:00").transfer("2025-03-03T09:00", "SO-TP")
    home.add("2025-03-04T09:00", "resolved", unit="SO-TP", result="approved")
    home.transfer("2025-03-04T10:00", "XA-01", unit="SO-TP")
    assert of(check(home, "2025-03-05T08:00"), "BOUNCED") == []


def test_bounced_applies_to_feedback_too() -> None:
    fb = History("PA-7", kind="feedback").add(
        "2025-03-03T08:00",
        "received",
        unit="TTHCC",
        category="dat-dai",
        channel="portal",
        due="2025-03-24T08:00",
    )
    fb.transfer("2025-03-03T09:00", "XA-01", unit="TTHCC").transfer("2025-03-04T09:00", "TTHCC")
    (f,) = of(check(fb, "2025-03-05T08:00", procedure=None), "BOUNCED")
    assert (f.kind, f.events) == ("feedback", (2, 3))


@pytest.mark.parametrize(
    ("to_unit", "unrelated"),
    [("CA-XA", False), ("XA-02", False), ("SO-NOIVU", True), ("UBND-TINH", False)],
)
def test_unrelated_consultation(to_unit: str, unrelated: bool) -> None:
    h = dossier("2025-03-03T08:00").transfer("2025-03-03T09:00", "XA-02")
    h.add("2025-03-03T10:00", "consulted", unit="XA-02", actor="cv-4", to_unit=to_unit)
    parents = {"XA-02": ["UBND-TINH"]}
    found = of(
        check(h, "2025-03-03T11:00", parents=lambda u: parents.get(u, [])),
        "UNRELATED_CONSULTATION",
    )
    assert bool(found) is unrelated
    if unrelated:
        assert (found[0].unit, found[0].official, found[0].events) == ("XA-02", "cv-4", (3,))
