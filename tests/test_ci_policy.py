"""The suite's rules for skipping, tried on a throwaway suite: in CI (CI=true) a skipped test
fails the run, whatever skipped it; a test left out with -m or -k does not; outside CI a
missing dependency only skips. Markers must be declared (--strict-markers).

The throwaway suite has no conftest: the rule comes with the core's fixtures through the
``pytest11`` entry point, as it does for a plug-in's tests outside this repository."""

from __future__ import annotations

import pytest

THROWAWAY = """
import pytest

from convergence.testing import unavailable


def test_runs():
    pass


def test_needs_a_service():
    unavailable("needs a service that is not running")


def test_skips_by_itself():
    pytest.skip("skipped without the shared helper")
"""


@pytest.fixture
def suite(pytester):
    pytester.makepyfile(test_throwaway=THROWAWAY)

    def run(*args, ci: bool):
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CI", "true") if ci else patch.delenv("CI", raising=False)
            return pytester.runpytest("-p", "no:cacheprovider", *args)

    return run


def test_outside_ci_a_missing_dependency_skips(suite):
    result = suite(ci=False)
    result.assert_outcomes(passed=1, skipped=2)
    assert result.ret == pytest.ExitCode.OK


def test_in_ci_a_missing_dependency_fails(suite):
    result = suite("-k", "not skips_by_itself", ci=True)
    result.assert_outcomes(passed=1, failed=1, deselected=1)
    result.stdout.fnmatch_lines(["*needs a service that is not running (CI=true: a missing dependency fails)*"])


def test_in_ci_any_skip_fails_the_run(suite):
    result = suite("-k", "not needs_a_service", ci=True)
    result.assert_outcomes(passed=1, skipped=1, deselected=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*skipped in CI (CI=true): the run fails*",
                                 "*test_skips_by_itself: Skipped: skipped without the shared helper"])


def test_in_ci_deselected_tests_are_not_skips(suite):
    result = suite("-k", "runs", ci=True)
    result.assert_outcomes(passed=1, deselected=2)
    assert result.ret == pytest.ExitCode.OK


def test_the_fixtures_come_from_the_installed_entry_point(pytester):
    """A suite with no conftest gets the core's fixtures and the CI rule by installing convergence."""
    pytester.makepyfile(test_outside="""
def test_fixtures_are_there(request):
    names = request.config.pluginmanager
    assert names.get_plugin("convergence") is not None
    for name in ("app", "client", "runner", "make", "browser", "axe_source"):
        assert request._fixturemanager.getfixturedefs(name, request.node), name
""")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_an_undeclared_marker_is_an_error(pytestconfig):
    # The suite's own setting: a misspelt marker would silently leave a test out of -m.
    assert pytestconfig.getoption("strict_markers")
    assert "postgres" in "".join(pytestconfig.getini("markers"))
