"""LATE_ACCEPTANCE, LATE_TRANSFER and NO_APPOINTMENT_SLIP: receiving a dossier."""

from __future__ import annotations

import pytest

from .builders import at, check, dossier, of

# Online: accepted or supplement-requested within 8 working hours of arrival (art. 17(2)(c)).
# Mon 03/03/2025 08:00 + 8 h → Tue 04/03 08:00; Sat 08/03 22:00 → Mon 10/03 17:00;
# Tue 29/04 16:00 → 1 h, then the holidays, then 7 h on Mon 05/05 → 16:00.


@pytest.mark.parametrize(
    ("received", "answered", "now", "due"),
    [
        ("2025-03-03T08:00", "2025-03-04T08:00", "2025-03-10T08:00", None),
        ("2025-03-03T08:00", "2025-03-04T08:01", "2025-03-10T08:00", "2025-03-04T08:00"),
        ("2025-03-03T08:00", None, "2025-03-04T08:00", None),
        ("2025-03-03T08:00", None, "2025-03-04T08:01", "2025-03-04T08:00"),
        ("2025-03-08T22:00", "2025-03-10T17:00", "2025-03-12T08:00", None),
        ("2025-04-29T16:00", "2025-05-05T16:00", "2025-05-06T08:00", None),
        ("2025-04-29T16:00", "2025-05-05T16:30", "2025-05-06T08:00", "2025-05-05T16:00"),
        ("2025-07-07T08:00", "2025-07-08T09:00", "2025-07-09T08:00", "2025-07-08T08:00"),
    ],
)
def test_late_acceptance_of_an_online_dossier(
    received: str, answered: str | None, now: str, due: str | None
) -> None:
    h = dossier(received, channel="national_portal")
    if answered is not None:
        h.slip(answered, "2025-12-31T17:00")
    found = of(check(h, now), "LATE_ACCEPTANCE")
    if due is None:
        assert found == []
        return
    (f,) = found
    assert (f.at, f.unit, f.official) == (at(due), "XA-01", "mc-1")
    assert f.events == ((1, 2) if answered else (1,))


def test_a_supplement_request_answers_an_online_dossier_and_counter_dossiers_are_exempt() -> None:
    h = dossier("2025-03-03T08:00", channel="online").supplement("2025-03-03T15:00")
    assert of(check(h, "2025-03-20T08:00"), "LATE_ACCEPTANCE") == []
    assert of(check(dossier("2025-03-03T08:00"), "2025-03-20T08:00"), "LATE_ACCEPTANCE") == []


# Paper at the counter: passed on the same working day, or the next morning (by 11:30) when
# received after 15:00 (art. 18(2)).
@pytest.mark.parametrize(
    ("received", "passed", "due"),
    [
        ("2025-03-03T08:00", "2025-03-03T17:00", None),
        ("2025-03-03T08:00", "2025-03-04T08:00", "2025-03-03T17:00"),
        ("2025-03-03T15:00", "2025-03-03T16:00", None),
        ("2025-03-03T15:30", "2025-03-04T11:30", None),
        ("2025-03-03T15:30", "2025-03-04T13:00", "2025-03-04T11:30"),
        ("2025-04-29T15:30", "2025-05-05T11:00", None),
        ("2025-04-29T15:30", "2025-05-05T14:00", "2025-05-05T11:30"),
    ],
)
def test_late_transfer_of_a_paper_dossier(received: str, passed: str, due: str | None) -> None:
    h = dossier(received).transfer(passed, "SO-TP")
    found = of(check(h, "2025-06-30T08:00"), "LATE_TRANSFER")
    if due is None:
        assert found == []
    else:
        assert [(f.at, f.events, f.official) for f in found] == [(at(due), (1, 2), "mc-1")]


def test_late_transfer_counts_the_reception_step_and_the_clock() -> None:
    done = dossier("2025-03-03T08:00").step("2025-03-03T11:00", "receive", "mc-1")
    assert of(check(done, "2025-03-20T08:00"), "LATE_TRANSFER") == []
    waiting = dossier("2025-03-03T08:00")
    assert of(check(waiting, "2025-03-03T17:00"), "LATE_TRANSFER") == []
    assert len(of(check(waiting, "2025-03-03T17:01"), "LATE_TRANSFER")) == 1
    online = dossier("2025-03-03T08:00", channel="national_portal")
    assert of(check(online, "2025-03-20T08:00"), "LATE_TRANSFER") == []


@pytest.mark.parametrize(
    ("slip_at", "expected"),
    [
        ("2025-03-03T08:05", False),
        ("2025-03-03T09:00", False),  # the same moment as the first step: in time
        ("2025-03-03T09:30", True),
        (None, True),
    ],
)
def test_no_appointment_slip_before_processing(slip_at: str | None, expected: bool) -> None:
    h = dossier("2025-03-03T08:00")
    events = [("2025-03-03T09:00", "step")]
    if slip_at is not None:
        events.append((slip_at, "slip"))
    for when, what in sorted(events):
        if what == "step":
            h.step(when, "receive", "mc-2")
        else:
            h.slip(when, "2025-03-06T08:00")
    found = of(check(h, "2025-03-20T08:00"), "NO_APPOINTMENT_SLIP")
    assert bool(found) is expected
    if expected:
        step_seq = 2 if slip_at is None or slip_at > "2025-03-03T09:00" else 3
        assert (found[0].at, found[0].events, found[0].official) == (
            at("2025-03-03T09:00"),
            (1, step_seq),
            "mc-1",
        )


def test_a_result_on_the_spot_needs_no_slip_but_a_result_next_day_does() -> None:
    same_day = dossier("2025-03-03T08:00").resolve("2025-03-03T10:00")
    assert of(check(same_day, "2025-03-20T08:00"), "NO_APPOINTMENT_SLIP") == []
    next_day = dossier("2025-03-03T08:00").resolve("2025-03-04T10:00")
    assert len(of(check(next_day, "2025-03-20T08:00"), "NO_APPOINTMENT_SLIP")) == 1


def test_no_slip_is_needed_before_the_dossier_is_processed() -> None:
    refused = dossier("2025-03-03T08:00").add(
        "2025-03-03T08:30", "refused", reason="sai thẩm quyền"
    )
    assert of(check(refused, "2025-03-20T08:00"), "NO_APPOINTMENT_SLIP") == []
