"""The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set
(CI sets it; outside CI, PostgreSQL-only tests skip with a message, and in CI any skip fails
the run: tests/ci_policy.py). The fixtures live in plug-in modules so that every plug-in's
tests share them."""

pytest_plugins = ["tests.fixtures", "tests.browser_support", "tests.ci_policy", "pytester"]
