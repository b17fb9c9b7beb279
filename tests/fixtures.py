"""The repository's local alias of :mod:`convergence.testing.fixtures`, kept so that
``from tests.fixtures import …`` goes on working in the suite's tests.

The fixtures themselves are registered by the ``pytest11`` entry point of the convergence
distribution (:mod:`convergence.testing.plugin`), not by this module: never list it in
``pytest_plugins``. New tests may import from ``convergence.testing`` directly."""

from convergence.testing.fixtures import *  # noqa: F401,F403
from convergence.testing.fixtures import _empty_all_tables, _normalise, _reset_postgres  # noqa: F401
