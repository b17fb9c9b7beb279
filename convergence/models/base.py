"""Column helpers shared by the core's models."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    # Stored naive in UTC: SQLite has no time zones, and both backends then agree.
    return datetime.now(timezone.utc).replace(tzinfo=None)
