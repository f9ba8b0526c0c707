"""The one clock records are stamped with: aware UTC, so laptops and headquarters compare."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
