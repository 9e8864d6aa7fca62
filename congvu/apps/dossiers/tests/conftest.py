"""Dossier tests: the commune and its procedure come from the root conftest (shared with the
supervision and dashboard tests)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The lookup's attempt counters live in the cache, which outlives a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
