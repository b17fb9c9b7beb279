"""The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set
(CI sets it; outside CI, PostgreSQL-only tests skip with a message). The fixtures live in
plug-in modules so that every plug-in's tests share them."""

pytest_plugins = ["tests.fixtures", "tests.browser_support"]
