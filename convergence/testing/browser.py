"""Browser fixtures and helpers (loaded by the ``pytest11`` entry point with the core's other
fixtures): the French demo served over real HTTP, driven by Debian Chromium, and checked with
axe-core.

The browser tests keep their own SQLite file (never TEST_DATABASE_URL): the schema is built
by the Alembic migrations, the demo is loaded once, and a threaded Werkzeug server (threads
are needed for the live event stream) serves it on a free local port for the whole session.

Playwright is imported only when a browser fixture is used: the other fixtures work with it
missing. Without /usr/bin/chromium or axe-core (``make browser-deps``; another copy of
``axe.min.js`` may be named by CONVERGENCE_AXE) the tests skip with a message; in CI
(CI=true) they fail instead.
"""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

from .fixtures import unavailable

# The checkout convergence is installed from (``pip install -e``), where `make browser-deps`
# puts axe-core; a plug-in's own checkout (the working directory) is looked at first.
ROOT = Path(__file__).resolve().parents[2]
AXE_IN_CHECKOUT = Path(".cache") / "node" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")


def axe_path() -> Path:
    """Where axe-core is: CONVERGENCE_AXE, else the working directory's or convergence's checkout."""
    if os.environ.get("CONVERGENCE_AXE"):
        return Path(os.environ["CONVERGENCE_AXE"])
    for base in (Path.cwd(), ROOT):
        if (base / AXE_IN_CHECKOUT).exists():
            return base / AXE_IN_CHECKOUT
    return ROOT / AXE_IN_CHECKOUT


AXE = axe_path()
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

DEMO_PASSWORD = "convergence-demo"
DEMO_SLUG = "belleville-sur-meuse"
FACILITATOR = "camille.facilitatrice@demo.convergence.fr"
ASSEMBLY_ID = 1
ASSEMBLY_TITLE = "Commune des Communes — rencontre de printemps"
FIRST_ITEM = "Accueil café des participants"

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}

# Playwright's default wait is 30 s; a local server answers in milliseconds, so a shorter
# limit makes a broken page fail fast instead of stalling the run.
TIMEOUT_MS = 10_000


def missing(what: str) -> None:
    unavailable(f"{what} — run `make browser-deps`")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        missing(f"Debian Chromium not found at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright Python package is not installed")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = axe_path()
    if not path.exists():
        missing(f"axe-core not found at {path}")
    return path.read_text(encoding="utf-8")


@contextmanager
def serve_demo(tmp_path_factory, *, plugins: list[str], seed=None):
    """The French demo (with ``plugins`` enabled) over real HTTP on 127.0.0.1.

    ``seed(app)``, run inside an app and request context after the demo is loaded, may add
    data and return a dict. Yields ``{"url": base URL, "app": app, **seeded}``.
    """
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from convergence import demo
    from convergence.app import create_app
    from convergence.extensions import db

    database = tmp_path_factory.mktemp("browser-db") / "browser.sqlite"
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SECRET_KEY": "browser-tests",
        "LIVE_BACKEND": "memory",
        "LIVE_HEARTBEAT_SECONDS": 2,
        "PLUGINS": plugins,
    })
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        demo.load(DEMO_PASSWORD)
        info = dict(seed(app) or {}) if seed else {}
        db.session.remove()

    # Threaded: the live event streams hold a thread each.
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="browser-live-server", daemon=True)
    thread.start()
    info.update(url=f"http://127.0.0.1:{server.server_port}", app=app)
    # Links in mails and QR codes point where the browser can follow them.
    app.config["PUBLIC_URL"] = info["url"]
    try:
        yield info
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


def demo_site(*, plugins: list[str], seed=None, offline: bool = False):
    """A module's ``site`` fixture: the demo with ``plugins`` (and ``seed``, as for
    :func:`serve_demo`) served once for the tests of the module that assigns it —
    ``site = demo_site(plugins=["cdc"], seed=_seed)`` — and stopped after them.

    ``offline``: the browsers of :func:`context_for` on this site load nothing from
    outside 127.0.0.1 (:func:`offline`), for pages with a map whose tiles come from afar."""

    @pytest.fixture(scope="module", name="site")
    def site(tmp_path_factory):
        with serve_demo(tmp_path_factory, plugins=plugins, seed=seed) as info:
            yield {**info, "offline": offline}

    return site


_FAR_AWAY = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


def offline(context) -> None:
    """Every request of the browser ``context`` leaving 127.0.0.1 is refused at once (a map's
    tiles): a test never waits on the network, nor depends on it."""
    context.route(_FAR_AWAY, lambda route: route.abort())


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """The core's demo (no plug-in) served on 127.0.0.1: ``{"url": …, "app": …}``."""
    with serve_demo(tmp_path_factory, plugins=[]) as site:
        yield site


@pytest.fixture(scope="session")
def live_server(live_site):
    """Base URL of the core's demo (no plug-in) served on 127.0.0.1."""
    return live_site["url"]


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def browser_contexts(browser, base_url: str, timeout_ms: int = TIMEOUT_MS, prepare=None):
    """Factory of fresh French browser contexts on ``base_url`` (separate cookies: one per
    person), phone-sized unless told otherwise, all closed at the end; ``prepare(context)``
    runs on each new one."""
    contexts = []

    def make(device: dict | None = None, **options):
        context = browser.new_context(**{"locale": "fr-FR", "base_url": base_url, **(device or PHONE), **options})
        context.set_default_timeout(timeout_ms)
        if prepare is not None:
            prepare(context)
        contexts.append(context)
        return context

    try:
        yield make
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def new_context(browser, live_server):
    with browser_contexts(browser, live_server) as make:
        yield make


@pytest.fixture
def context_for(browser, site):
    """:func:`browser_contexts` on the module's ``site`` fixture (one the module defines,
    e.g. with :func:`demo_site`): ``context_for(PHONE)`` is one more person's browser,
    :func:`offline` when the site says so."""
    with browser_contexts(browser, site["url"], TIMEOUT_MS,
                          prepare=offline if site.get("offline") else None) as make:
        yield make


def read_stored(site, read):
    """``read()`` in the served app (``site["app"]``), on a fresh session closed afterwards, so
    that a test checks what the pages stored without holding the database between steps."""
    from convergence.extensions import db

    with site["app"].app_context():
        try:
            return read()
        finally:
            db.session.remove()


def log_in(page, email: str, password: str = DEMO_PASSWORD, next_path: str | None = None) -> None:
    """Fill the login form as a person would and wait for the redirect away from it."""
    page.goto("/compte/connexion" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(lambda url: "/compte/connexion" not in url)


def signed_in(make, email: str, device: dict | None = None):
    """One person on their own phone (``device``: PHONE unless told), logged in as ``email``
    through the form: a new page in a new context of ``make`` (``context_for``,
    ``new_context``), so that each person keeps their own cookies."""
    page = make(device or PHONE).new_page()
    log_in(page, email)
    return page


@pytest.fixture(scope="session")
def facilitator_state(browser, live_server, tmp_path_factory):
    """Cookies of the demo facilitator, logged in once through the form."""
    context = browser.new_context(locale="fr-FR", base_url=live_server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    log_in(page, FACILITATOR)
    path = tmp_path_factory.mktemp("browser-state") / "facilitator.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


def scroll_width(page) -> int:
    """The document's full width in CSS pixels (kept for older tests: a page fits the screen
    when ``assert_fits_the_screen`` passes, which checks more than this width)."""
    return page.evaluate("() => document.scrollingElement.scrollWidth")


# Measured in the page: the document's scroll and layout widths, and every element whose
# visible box passes the right edge of the screen. An element inside a box that clips or
# scrolls its overflow (a scrolling table, the map's tiles) is measured by that box; html and
# body are not such boxes, since `overflow-x: hidden` there only cuts content off.
_OVERFLOW = """(screen) => {
  const root = document.documentElement, body = document.body;
  const clipped = new Map();
  const insideClip = (element) => {
    const parent = element.parentElement;
    if (!parent || parent === body || parent === root) return false;
    if (!clipped.has(parent)) {
      clipped.set(parent, getComputedStyle(parent).overflowX !== "visible" || insideClip(parent));
    }
    return clipped.get(parent);
  };
  const out = [];
  for (const element of body.querySelectorAll("*")) {
    const right = element.getBoundingClientRect().right + window.scrollX;
    if (right > screen + 0.5 && !insideClip(element)) {
      const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
        + [...element.classList].map((c) => "." + c).join("");
      out.push(name + " ends at " + Math.round(right) + " px");
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, elements: out};
}"""


def overflow(page) -> list[str]:
    """What sticks out of the screen sideways (empty when the page fits): the document scrolling
    sideways, a layout wider than the screen (a phone without a viewport tag lays out at 980 px
    and zooms out, so scrollWidth alone would pass), and every element passing its right edge.

    The screen is the browser's viewport as set by the test (360 px for PHONE), not
    window.innerWidth, which a mobile browser widens when content overflows."""
    screen = page.viewport_size["width"]
    found = page.evaluate(_OVERFLOW, screen)
    problems = []
    if found["scrollWidth"] > found["clientWidth"]:
        problems.append(f"the document scrolls sideways ({found['scrollWidth']} px of content "
                        f"in {found['clientWidth']} px)")
    if found["clientWidth"] > screen:
        problems.append(f"the page is laid out {found['clientWidth']} px wide")
    return problems + found["elements"]


def fits_the_screen(page) -> bool:
    return not overflow(page)


def assert_fits_the_screen(page, what: str = "") -> None:
    """Fail, saying what sticks out, when the page does not fit the screen's width. Measured
    once the page has loaded: right after a form is sent, the new page's content can be
    there before its stylesheet is applied, and unstyled it is wider than it will be."""
    page.wait_for_load_state("load")
    problems = overflow(page)
    width = page.viewport_size["width"]
    assert not problems, f"{what or page.url} does not fit {width} px: " + "; ".join(problems[:10]) + (
        f" (and {len(problems) - 10} more)" if len(problems) > 10 else "")


# -- axe-core ---------------------------------------------------------------------------
# axe is loaded with page.evaluate (through the DevTools protocol): the Content-Security-Policy
# forbids inline scripts, so page.add_script_tag, which inlines the file, is refused.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


def run_axe(page, axe_source: str) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", AXE_OPTIONS)


def describe(violations: list[dict]) -> str:
    """The violations as lines a failing assertion can show."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_accessible(page, axe_source: str, what: str = "", *, fits: bool = True) -> None:
    """axe-core finds nothing on the page as it is now and, unless ``fits`` is False (a
    desktop's page), the page fits the screen's width. Audited once the page has loaded:
    just after a form is sent, its content can be there before its stylesheet."""
    page.wait_for_load_state("load")
    violations = run_axe(page, axe_source)
    assert not violations, f"{what or page.url}:\n{describe(violations)}"
    if fits:
        assert_fits_the_screen(page, what)


def visit_accessible(page, path: str, axe_source: str, what: str = "", *, fits: bool = True):
    """Open ``path`` (it must answer 2xx), then :func:`assert_accessible`; returns the response."""
    response = page.goto(path)
    assert response.ok, f"{what or path}: {path} answered {response.status}"
    assert_accessible(page, axe_source, f"{what} ({path})" if what else path, fits=fits)
    return response
