"""The pytest plug-in of the convergence distribution (entry point ``pytest11``: ``convergence``).

Installing ``convergence[test]`` makes pytest load it in every run of that environment, so a
plug-in's tests outside this repository use the core's fixtures with no conftest: ``app``,
``client``, ``runner``, ``make`` (:mod:`convergence.testing.fixtures`), the browser fixtures
(:mod:`convergence.testing.browser`) and the rule that nothing skips in CI
(:mod:`convergence.testing.ci_policy`). Helpers are imported from ``convergence.testing``.

Do not list this module (nor the ones below) in a conftest's ``pytest_plugins`` as well: it is
already registered under the name ``convergence``. ``-p no:convergence`` turns it off.
"""

pytest_plugins = [
    "convergence.testing.fixtures",
    "convergence.testing.browser",
    "convergence.testing.ci_policy",
]
