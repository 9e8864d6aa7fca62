"""Input and output shapes of the REST API (pydantic, strict on input)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import AwareDatetime, Field, field_validator


class ErrorOut(Schema):
    code: str
    message: str


class UnitOut(Schema):
    code: str
    name: str
    level: str
    level_name: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    calendar: str


class PositionOut(Schema):
    unit: str
    unit_name: str
    title: str
    role: str
    start_on: dt.date
    end_on: dt.date | None


class OfficialOut(Schema):
    code: str
    full_name: str
    positions: list[PositionOut]


class DeadlineIn(Schema):
    start: AwareDatetime = Field(description="ISO 8601 moment with its UTC offset")
    working_days: float | None = Field(None, ge=0, description="N working days (halves allowed)")
    working_hours: float | None = Field(None, ge=0, description="or H working hours")
    calendar: str = Field("VN", description="calendar code")

    @field_validator("start", mode="before")
    @classmethod
    def start_is_iso_text(cls, value: object) -> object:
        # Lax pydantic would read a number as seconds since 1970: refuse it, ask for ISO 8601.
        if not isinstance(value, str):
            raise ValueError("cần chuỗi ISO 8601 có độ lệch múi giờ, ví dụ 2025-01-24T16:00+07:00")
        return value


class DeadlineOut(Schema):
    calendar: str
    start: dt.datetime
    due: dt.datetime
    explanation: list[str]


class CalendarDayOut(Schema):
    day: dt.date
    working: bool
    name: str
    source: str
    estimated: bool


class CalendarYearOut(Schema):
    calendar: str
    year: int
    working_days: int
    exceptions: list[CalendarDayOut]
