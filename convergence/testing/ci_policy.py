"""Nothing skips in CI (loaded with the other fixtures by the ``pytest11`` entry point, so a
plug-in's own CI gets the same rule).

A skipped test is a test that did not run: in CI (CI=true), where every dependency is
installed, the run fails and lists what skipped, whatever made it skip. Tests left out with
``-m`` (the SQLite pass of `make test` leaves out the PostgreSQL, server and browser tests)
are deselected, not skipped, and do not count."""

from __future__ import annotations

import pytest

from .fixtures import in_ci


def _skipped(config) -> list:
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    return list(reporter.stats.get("skipped", [])) if reporter is not None else []


def pytest_sessionfinish(session, exitstatus):
    if in_ci() and _skipped(session.config) and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = _skipped(config)
    if in_ci() and skipped:
        terminalreporter.section("skipped in CI (CI=true): the run fails", sep="=", red=True, bold=True)
        for report in skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
            terminalreporter.line(f"{report.nodeid}: {reason}")
