"""Reminders before a due moment (not findings: nothing is wrong yet)."""

from __future__ import annotations

from congvu.domain.calendar import WorkCalendar
from congvu.domain.ledger.state import ItemState, Status
from congvu.domain.supervision.thresholds import Thresholds

__all__ = ["is_due_soon"]


def is_due_soon(state: ItemState, *, calendar: WorkCalendar, thresholds: Thresholds) -> bool:
    """Whether an open, running item is within ``thresholds.due_soon`` of its due moment and
    not yet late (office time on ``calendar``; a calendar-day threshold counts elapsed time).
    A paused item is not reminded: its clock is stopped."""
    if state.status is not Status.OPEN or state.late:
        return False
    seconds = thresholds.due_soon.working_seconds(calendar)
    if seconds is not None:
        return state.working_seconds_left <= seconds
    return (state.due - state.as_of).total_seconds() <= thresholds.due_soon.amount * 86400
