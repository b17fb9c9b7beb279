"""What people do on the budget's pages, as several browser tests do it: a resident opening
the project form from the process page, the facilitator updating a funded project's
follow-up. One copy, so that a change to a page is followed in one place."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from convergence.testing.browser import assert_accessible


def open_the_project_form(page, base: str, axe_source: str) -> None:
    """From the process page in its dépôt phase (``base``), « Proposer un projet »; both
    pages checked with axe and against the screen's width."""
    page.goto(base)
    expect(page.locator("main")).to_contain_text("Dépôt des projets")
    assert_accessible(page, axe_source, "the process page (resident)")
    page.get_by_role("link", name="Proposer un projet").first.click()
    page.wait_for_url(re.compile(rf"{base}/projets/nouveau$"))
    assert_accessible(page, axe_source, "the project form")


def update_follow_up(page, *, status: str, progress: int, committed: int, spent: int) -> None:
    """The follow-up form of the project whose page is open, filled and saved; the page says
    it is saved and shows the new progress."""
    page.select_option("select[name=status]", status)
    page.fill("input[name=progress]", str(progress))
    page.fill("input[name=committed]", str(committed))
    page.fill("input[name=spent]", str(spent))
    page.locator("section[aria-labelledby=update] button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Le suivi est mis à jour.")
    expect(page.locator("main")).to_contain_text(re.compile(rf"{progress}\s%\sréalisé"))
