"""Photograph the main pages of the demo at 360×740 (a phone) and 1280×800 (a laptop) into
docs/screenshots/, so anyone can see the product without installing it.

    .venv/bin/python docs/screenshots.py            # the pages of SHOWN
    .venv/bin/python docs/screenshots.py accueil vote   # only these (any page of main_pages.PAGES)

It serves the French demo (with the three first-party plug-ins and what their browser tests
seed: an open vote, a closed one with results, a need on the map) on a free local port, the
way the browser tests do (convergence.testing.browser.serve_demo), and drives Debian's
Chromium (/usr/bin/chromium) through Playwright. Each shot is the first screen of the page
(what one sees on opening it), named <page>-<width>.png. Needs `make install assets
translations-compile`; no network (the map's tiles are not fetched).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from convergence.testing.browser import (CHROMIUM, CHROMIUM_ARGS, FACILITATOR, TIMEOUT_MS, log_in,  # noqa: E402
                                         serve_demo)
from tests.browser.main_pages import PAGES, PLUGINS, path_of, seed, settle  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# The pages a newcomer goes through, from tests/browser/main_pages.py (which the 360 px test
# measures in full): enough to see the product, few enough to keep the repository light.
SHOWN = ("accueil", "commune", "assemblee", "cercle-membre", "connexion", "votes", "bulletin", "resultats",
         "besoins", "signaler-un-besoin", "propositions", "proposition", "profil", "assemblee-animation")
SIZES = {"360": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
                 "device_scale_factor": 1},
         "1280": {"viewport": {"width": 1280, "height": 800}}}


class _Folders:
    """What serve_demo asks of pytest's tmp_path_factory: a fresh folder."""

    def __init__(self, base: Path):
        self.base = base

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=name, dir=self.base))


def main(names: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    wanted = [p for p in PAGES if p[0] in (names or SHOWN)]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve_demo(_Folders(Path(tmp)), plugins=PLUGINS, seed=seed) as site, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        # The tile server is out of reach on purpose: the pictures never depend on the network.
        for size, device in SIZES.items():
            pages = {}
            for who in ("anonymous", "facilitator"):
                context = browser.new_context(locale="fr-FR", base_url=site["url"], **device)
                context.set_default_timeout(TIMEOUT_MS)
                context.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
                page = context.new_page()
                if who == "facilitator":
                    log_in(page, FACILITATOR)
                pages[who] = page
            for name, who, path in wanted:
                page = pages[who]
                page.goto(path_of(page, path, site))
                settle(page)
                page.evaluate("document.fonts.ready")
                target = OUT / f"{name}-{size}.png"
                page.screenshot(path=str(target))
                print(f"{target.relative_to(ROOT)}")
            for page in pages.values():
                page.context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
