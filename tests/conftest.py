"""What is specific to this repository's suite; the shared fixtures (app, client, database,
browser, the CI rule that nothing skips) come from the ``pytest11`` plug-in of the convergence
distribution, ``convergence.testing.plugin``, loaded by pytest itself (``pip install -e
".[test]"``). The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is
set. ``tests/fixtures.py`` and ``tests/browser_support.py`` are local aliases of
``convergence.testing``'s modules for the tests' imports."""

pytest_plugins = ["pytester"]
