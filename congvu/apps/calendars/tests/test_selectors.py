"""calendar_build: a derived calendar over its base, and the per-process reuse of a built
calendar while its rows are unchanged."""

from __future__ import annotations

import datetime as dt

import pytest

from congvu.apps.calendars.models import Calendar, CalendarDay
from congvu.apps.calendars.selectors import UnknownCalendarError, calendar_build
from congvu.domain.calendar import is_working_day

pytestmark = pytest.mark.django_db

#: Monday 15/06/2026, an ordinary working day on the national calendar.
MONDAY = dt.date(2026, 6, 15)


@pytest.fixture
def local(calendar_vn):
    return Calendar.objects.create(code="XA-C1", name="Lịch xã Hòa Phú", base=calendar_vn)


def test_a_derived_calendar_has_its_base_s_days_and_its_own(calendar_vn, local):
    CalendarDay.objects.create(calendar=local, day=MONDAY, kind="day_off", name="Lễ hội làng")
    built = calendar_build("XA-C1")
    assert not is_working_day(built, MONDAY)
    assert not is_working_day(built, dt.date(2026, 9, 2))  # Quốc khánh, from the base
    assert is_working_day(calendar_build("VN"), MONDAY)


def test_the_same_calendar_is_reused_while_its_rows_are_unchanged(calendar_vn, local):
    first = calendar_build("XA-C1")
    assert calendar_build("XA-C1") is first


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(
            lambda base, local: CalendarDay.objects.create(
                calendar=local, day=MONDAY, kind="day_off", name="Lễ hội làng"
            ),
            id="own day added",
        ),
        pytest.param(
            lambda base, local: base.days.filter(day=dt.date(2026, 9, 2)).update(
                kind="working_day"
            ),
            id="base day changed by a bulk update (no signal)",
        ),
        pytest.param(
            lambda base, local: Calendar.objects.filter(pk=local.pk).update(
                afternoon_end=dt.time(16, 30)
            ),
            id="office hours changed",
        ),
    ],
)
def test_an_edit_is_seen_at_the_next_build(calendar_vn, local, edit):
    before = calendar_build("XA-C1")
    edit(calendar_vn, local)
    after = calendar_build("XA-C1")
    assert after is not before
    assert after != before


def test_an_unknown_code_is_refused_even_after_it_was_built(calendar_vn, local):
    calendar_build("XA-C1")
    local.delete()
    with pytest.raises(UnknownCalendarError):
        calendar_build("XA-C1")
