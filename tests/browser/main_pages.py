"""The main pages of the product, as a newcomer and the demo facilitator see them: measured at
360 px by test_touch_targets.py and photographed by docs/screenshots.py.

The demo is served with the three first-party plug-ins, plus what the plug-ins' own browser
tests seed (two votes, one closed with results; a need on the map), imported from those
tests rather than written again, so a change to how they seed reaches here too."""

from __future__ import annotations

from convergence.testing.browser import ASSEMBLY_ID, DEMO_SLUG

PLUGINS = ["mj", "needs", "proposals"]
CIRCLE_ID = 1  # « Alimentation »


def seed(app) -> dict:
    from tests.plugins.mj.test_browser import _seed_votes
    from tests.plugins.needs.test_browser import _seed_need

    votes = _seed_votes(app)
    return {"open_vote": votes["open"], "closed_vote": votes["closed"], "need": _seed_need(app)["seeded"]}


# (name, who, path): "{open_vote}", "{closed_vote}", "{need}" are filled from seed(); a path
# of None is found on the page named after "from:" (the first proposal of the list).
PAGES = [
    ("accueil", "anonymous", "/"),
    ("communes", "anonymous", "/communes/"),
    ("commune", "anonymous", f"/communes/{DEMO_SLUG}"),
    ("journal", "anonymous", f"/communes/{DEMO_SLUG}/journal"),
    ("assemblee", "anonymous", f"/assemblees/{ASSEMBLY_ID}"),
    ("cercle", "anonymous", f"/cercles/{CIRCLE_ID}"),
    ("connexion", "anonymous", "/compte/connexion"),
    ("inscription", "anonymous", "/compte/inscription"),
    ("donnees-ouvertes", "anonymous", f"/communes/{DEMO_SLUG}/donnees-ouvertes"),
    ("votes", "anonymous", f"/assemblees/{ASSEMBLY_ID}/votes"),
    ("resultats", "anonymous", "/votes/{closed_vote}/resultats"),
    ("besoins", "anonymous", f"/communes/{DEMO_SLUG}/besoins"),
    ("besoin", "anonymous", f"/communes/{DEMO_SLUG}/besoins/{{need}}"),
    ("propositions", "anonymous", f"/assemblees/{ASSEMBLY_ID}/propositions"),
    ("assemblee-animation", "facilitator", f"/assemblees/{ASSEMBLY_ID}"),
    ("ordre-du-jour", "facilitator", f"/assemblees/{ASSEMBLY_ID}/ordre-du-jour"),
    ("cercle-membre", "facilitator", f"/cercles/{CIRCLE_ID}"),
    ("profil", "facilitator", "/compte/profil"),
    ("membres", "facilitator", f"/communes/{DEMO_SLUG}/membres"),
    ("bulletin", "facilitator", "/votes/{open_vote}/bulletin"),
    ("vote", "facilitator", "/votes/{open_vote}"),
    ("signaler-un-besoin", "facilitator", f"/communes/{DEMO_SLUG}/besoins/signaler"),
    ("proposition", "facilitator", "first-proposal"),
    ("inviter", "facilitator", f"/invitations/nouvelle?assembly={ASSEMBLY_ID}"),
]


def path_of(page, path: str, seeded: dict) -> str:
    """The address to open: seeded ids filled in; "first-proposal" read from the list."""
    if path == "first-proposal":
        page.goto(f"/assemblees/{ASSEMBLY_ID}/propositions")
        link = page.locator("main a[href^='/propositions/']").first
        return link.get_attribute("href")
    return path.format(**seeded)


def settle(page) -> None:
    """Wait for what scripts add after load: the live stream, the needs map."""
    if page.locator("[data-live-url]").count():
        page.wait_for_selector("[data-live-connected]", state="attached")
    if page.locator("#needs-map").count():
        page.wait_for_selector("#needs-map.leaflet-container")
