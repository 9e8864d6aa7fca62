"""LATE_NO_APOLOGY and REPEATED_APOLOGY (Decree 118/2025 art. 19(6))."""

from __future__ import annotations

import pytest

from congvu.domain.supervision import Thresholds

from .builders import at, check, dossier, of

# Received Mon 03/03/2025 08:00, due Thu 06/03 08:00; the latest lawful apology is one working
# day before: Wed 05/03 08:00.


def test_late_without_any_apology() -> None:
    h = dossier("2025-03-03T08:00").resolve("2025-03-07T10:00")
    (f,) = of(check(h, "2025-03-20T08:00"), "LATE_NO_APOLOGY")
    assert (f.at, f.events, f.key) == (
        at("2025-03-06T08:00"),
        (1, 2),
        "LATE_NO_APOLOGY:2025-03-06T08:00:00",
    )


@pytest.mark.parametrize(
    ("now", "fires"), [("2025-03-06T08:00", False), ("2025-03-06T08:01", True)]
)
def test_an_open_item_is_late_without_apology_only_once_past_the_due(now: str, fires: bool) -> None:
    assert bool(of(check(dossier("2025-03-03T08:00"), now), "LATE_NO_APOLOGY")) is fires


@pytest.mark.parametrize(
    ("apology_at", "proof"),
    [
        ("2025-03-05T08:00", None),  # exactly the latest lawful moment: timely, due moved
        # short notice does not move the due: the item ran past it (proof: the resolution)
        ("2025-03-05T08:01", (1, 2, 3)),
        ("2025-03-06T10:00", (1, 2)),  # the due had passed: lateness without notice
    ],
)
def test_an_untimely_apology_does_not_hide_the_due_it_replaced(
    apology_at: str, proof: tuple[int, ...] | None
) -> None:
    h = dossier("2025-03-03T08:00").apology(apology_at, "2025-03-07T17:00")
    h.resolve("2025-03-07T16:00")
    found = check(h, "2025-03-20T08:00")
    assert of(found, "LATE_RESULT") == []  # against the new date, as the fold counts it
    late = of(found, "LATE_NO_APOLOGY")
    if proof is None:
        assert late == []
    else:
        assert [(f.at, f.events) for f in late] == [(at("2025-03-06T08:00"), proof)]


@pytest.mark.parametrize(
    ("resolved", "fires"), [("2025-03-06T08:00", False), ("2025-03-06T08:01", True)]
)
def test_after_a_short_notice_apology_the_old_due_still_counts_to_the_second(
    resolved: str, fires: bool
) -> None:
    h = dossier("2025-03-03T08:00").apology("2025-03-05T15:00", "2025-03-07T17:00")
    h.resolve(resolved)
    assert bool(of(check(h, "2025-03-20T08:00"), "LATE_NO_APOLOGY")) is fires


def test_a_short_notice_apology_on_an_open_item_fires_once_the_old_due_passes() -> None:
    h = dossier("2025-03-03T08:00").apology("2025-03-05T15:00", "2025-03-07T17:00")
    assert of(check(h, "2025-03-06T08:00"), "LATE_NO_APOLOGY") == []
    (f,) = of(check(h, "2025-03-06T09:00"), "LATE_NO_APOLOGY")
    assert (f.at, f.events) == (at("2025-03-06T08:00"), (1, 2))


def test_a_supplement_after_a_short_notice_apology_leaves_it_to_the_restarted_clock() -> None:
    h = dossier("2025-03-03T08:00").apology("2025-03-05T15:00", "2025-03-07T17:00")
    h.supplement("2025-03-05T16:00").supplied("2025-03-10T08:00")
    h.resolve("2025-03-11T10:00")
    assert of(check(h, "2025-03-20T08:00"), "LATE_NO_APOLOGY") == []


def test_missing_the_new_date_after_a_timely_apology_is_late_without_apology() -> None:
    h = dossier("2025-03-03T08:00").apology("2025-03-04T10:00", "2025-03-10T17:00")
    h.resolve("2025-03-11T09:00")
    (f,) = of(check(h, "2025-03-20T08:00"), "LATE_NO_APOLOGY")
    assert (f.at, f.events) == (at("2025-03-10T17:00"), (1, 2, 3))


def test_apology_deadline_across_the_april_holidays() -> None:
    # due Wed 07/05/2025 08:00; one working day before is Tue 06/05 08:00 (2/5 is off)
    h = dossier("2025-04-29T08:00").apology("2025-05-06T08:00", "2025-05-09T17:00")
    h.resolve("2025-05-09T10:00")
    assert of(check(h, "2025-05-20T08:00"), "LATE_NO_APOLOGY") == []


def test_a_withdrawal_is_nobodys_lateness() -> None:
    h = dossier("2025-03-03T08:00").add("2025-03-07T09:00", "withdrawn", reason="không cần nữa")
    assert of(check(h, "2025-03-20T08:00"), "LATE_NO_APOLOGY") == []


@pytest.mark.parametrize("base", ["2025-03", "2025-07"])
def test_repeated_apology_names_the_second_one(base: str) -> None:
    # March: Mon 03 → due Thu 06 (ND61); July: Mon 07 → due Thu 10 (ND118)
    d = {"2025-03": (3, 4, 10, 12), "2025-07": (7, 8, 14, 16)}[base]
    h = dossier(f"{base}-{d[0]:02}T08:00").apology(
        f"{base}-{d[1]:02}T10:00", f"{base}-{d[2]:02}T17:00"
    )
    assert of(check(h, f"{base}-{d[1]:02}T11:00"), "REPEATED_APOLOGY") == []
    h.apology(f"{base}-{d[2]:02}T08:00", f"{base}-{d[3]:02}T17:00", actor="ld-2")
    (f,) = of(check(h, f"{base}-{d[2]:02}T09:00"), "REPEATED_APOLOGY")
    assert (f.at, f.events, f.official, f.key) == (
        at(f"{base}-{d[2]:02}T08:00"),
        (2, 3),
        "ld-2",
        "REPEATED_APOLOGY:3",
    )
    assert f.ruleset == ("ND61/2018+107/2021" if base == "2025-03" else "ND118/2025")
    allowed_twice = Thresholds(apology_max=2)
    assert (
        of(check(h, f"{base}-{d[2]:02}T09:00", thresholds=allowed_twice), "REPEATED_APOLOGY") == []
    )
