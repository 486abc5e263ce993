"""The server's clock. Views and services ask it the time, so tests can move it."""

from __future__ import annotations

from datetime import datetime

from fund.models.base import utcnow


def now() -> datetime:
    """The current time in UTC (tests monkeypatch this, never sleep)."""
    return utcnow()
