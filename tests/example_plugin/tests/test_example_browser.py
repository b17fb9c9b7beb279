"""The example's pages in Debian Chromium, with the core's browser fixtures (pytest11):
axe-core finds nothing, and they fit a phone's screen."""

from __future__ import annotations

import pytest

from convergence.testing.browser import (DEMO_SLUG, FACILITATOR, PHONE, assert_fits_the_screen, browser_contexts,
                                         describe, log_in, run_axe, serve_demo)

pytestmark = pytest.mark.browser
CIRCLE_ID, ASSEMBLY_ID = 1, 1  # « Alimentation » and the assembly of the demo


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve_demo(tmp_path_factory, plugins=["example"]) as served:
        yield served


def test_the_pages_pass_axe_and_fit_a_phone(browser, site, axe_source):
    with browser_contexts(browser, site["url"]) as new_context:
        page = new_context(PHONE).new_page()
        log_in(page, FACILITATOR)  # a member of the circle Alimentation: the form is shown
        for path in (f"/cercles/{CIRCLE_ID}/exemple", f"/communes/{DEMO_SLUG}/exemple",
                     f"/assemblees/{ASSEMBLY_ID}/exemple"):
            response = page.goto(path)
            assert response.ok, path
            violations = run_axe(page, axe_source)
            assert not violations, f"{path}:\n{describe(violations)}"
            assert_fits_the_screen(page, path)
        page.goto(f"/cercles/{CIRCLE_ID}/exemple")
        page.fill("input[name=message]", "Bienvenue au cercle")
        page.locator("main form.form button[type=submit]").click()
        page.wait_for_url(f"**/cercles/{CIRCLE_ID}/exemple")
        assert "Bienvenue au cercle — Camille Durand" in page.locator("main").inner_text()
