"""The repository's local alias of :mod:`convergence.testing.browser`, kept so that
``from tests.browser_support import …`` goes on working in the suite's tests.

The browser fixtures are registered by the ``pytest11`` entry point of the convergence
distribution (:mod:`convergence.testing.plugin`), not by this module: never list it in
``pytest_plugins``."""

from convergence.testing.browser import *  # noqa: F401,F403
