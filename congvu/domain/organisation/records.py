"""Validated rows of an import file, as frozen values the shell writes to the database.

``line`` on each record is where it came from in the file; it is left out of equality so
that the same data read from two files compares equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["LineageRecord", "OfficialRecord", "PositionRecord", "UnitRecord"]


@dataclass(frozen=True)
class UnitRecord:
    """One unit of the organisation tree.

    ``level`` is the stored code (``commune``), ``parent`` and ``calendar`` are codes or
    ``None`` (a root unit; the parent's calendar), ``valid_to`` ``None`` means still active.
    """

    code: str
    name: str
    level: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    calendar: str | None
    oversees_province: bool
    address: str
    phone: str
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class PositionRecord:
    """A post held in a unit from ``start_on`` to ``end_on`` (``None``: still held).

    A position is identified within its official by (``unit``, ``start_on``, ``title``):
    see :attr:`key`.
    """

    unit: str
    title: str
    role: str
    start_on: dt.date
    end_on: dt.date | None
    decision: str
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str, dt.date, str]:
        """The identity used to match a position in the file with a stored one."""
        return (self.unit, self.start_on, self.title)


@dataclass(frozen=True)
class OfficialRecord:
    """An official with every position listed for them in the file (possibly none)."""

    code: str
    full_name: str
    email: str
    phone: str
    positions: tuple[PositionRecord, ...]
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class LineageRecord:
    """An edge of the history of the organisation: ``predecessor`` continued by ``successor``."""

    predecessor: str
    successor: str
    kind: str
    effective_on: dt.date
    legal_basis: str
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """The identity of an edge: (predecessor, successor, kind)."""
        return (self.predecessor, self.successor, self.kind)
