"""Domain errors cross process boundaries whole (the import's worker processes send their
rejections to the importing process, ADR 0009): code, parameters and both messages."""

from __future__ import annotations

import pickle

import pytest

from congvu.domain.errors import DomainError
from congvu.domain.ledger.errors import InvalidEventError
from congvu.domain.procedures.errors import CatalogError, InvalidProcedureError


@pytest.mark.parametrize(
    "error",
    [
        InvalidEventError(line=3, item="H-1", key="seq", reason_vi="phải ≥ 1", reason_en="≥ 1"),
        CatalogError(
            [
                InvalidProcedureError(
                    procedure="1.001", key="time_limit", reason_vi="x", reason_en="y"
                )
            ]
        ),
        DomainError(),
    ],
    ids=["keywords only", "errors and keywords", "base"],
)
def test_a_domain_error_pickles_with_its_parameters(error: DomainError):
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 — the bytes just made here
    assert type(again) is type(error)
    assert again.params == error.params and again.args == error.args
    assert again.as_dict("vi") == error.as_dict("vi")
    assert again.as_dict("en") == error.as_dict("en")
