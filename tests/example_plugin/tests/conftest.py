"""The example's tests: the core's fixtures (app, client, make, browser …) come from the
``pytest11`` plug-in of convergence; this only says which plug-ins the test application
enables, and gives it a database migrated for them.

Run alone (``cd tests/example_plugin && pytest``), ``convergence_plugins = example`` in the
pytest settings would be enough. Inside the Convergence repository's suite, whose database is
migrated for its own plug-ins, the example's database is a separate one (a SQLite file, or a
PostgreSQL schema of the test database)."""

import pytest

from convergence.testing import database_url, migrate, separate_database, unavailable


@pytest.fixture(scope="session")
def convergence_plugins():
    from importlib.metadata import entry_points

    if "example" not in {e.name for e in entry_points(group="convergence.plugins")}:
        unavailable("the example plug-in is not installed: pip install -e tests/example_plugin (make install does)")
    return ["example"]


@pytest.fixture(scope="session")
def test_database_url(tmp_path_factory, convergence_plugins):
    with separate_database(database_url(tmp_path_factory), tmp_path_factory.mktemp("example"),
                           "example_plugin") as url:
        migrate(url, convergence_plugins)
        yield url
