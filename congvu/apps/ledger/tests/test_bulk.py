"""``COPY`` text built by the ledger's bulk writes (bulk.py): the fast row writer gives what
the escaping one gives, tabs, line breaks, backslashes and NULLs included."""

from __future__ import annotations

import datetime as dt

import pytest

from congvu.apps.ledger.bulk import copy_line, copy_row

MOMENT = dt.datetime(2026, 1, 2, 8, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "values",
    [
        (1, "dvc-tinh", "H12-260102-0001", MOMENT, None, True, False, 0, "a" * 64),
        (None, None),
        ("tab\there", 1),
        ("back\\slash", None),
        ("\\N", "x"),  # a text that reads like COPY's NULL
        ("line\nbreak", "cr\rhere", None),
        ("Ủy ban nhân dân xã Đông Hòa", "cán-bộ-1"),
    ],
)
def test_copy_row_is_copy_line(values):
    assert copy_row(values) == copy_line(values)
