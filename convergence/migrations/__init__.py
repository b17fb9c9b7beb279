"""The core's Alembic migrations (versions/) and the frozen helpers they may use (frozen/)."""
