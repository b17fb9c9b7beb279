"""Shared fixtures. The suite runs on SQLite by default and on PostgreSQL when
TEST_DATABASE_URL is set (CI sets it; outside CI, PostgreSQL-only tests skip with a message)."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest

pytest_plugins = ["tests.fixtures"]
