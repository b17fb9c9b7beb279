"""The needs map in a real browser (Debian Chromium): a resident reports a need on a phone,
with a click on the map, another supports it, the need shows in the list, the map data,
on the map and in the synthesis; axe-core finds nothing on the needs pages.

Map tiles are refused by the browser (no network in the tests): the pages must work without
them. Skips like the core's browser tests when Chromium or axe-core are missing."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import DEMO_SLUG, DESKTOP, FACILITATOR, PHONE, TIMEOUT_MS, assert_fits_the_screen, \
    browser_contexts, describe, log_in, run_axe, serve_demo

pytestmark = pytest.mark.browser

BASE = f"/communes/{DEMO_SLUG}/besoins"
RESIDENT_A = "amina.benali@demo.convergence.fr"
RESIDENT_B = "bernard.lefevre@demo.convergence.fr"
CENTRE = (48.76, 5.59)


def _seed_need(app) -> dict:
    """One need already reported, so the axe run has a need page to check."""
    from convergence.extensions import db
    from convergence.models import Commune, User
    from plugins.needs import lists
    from plugins.needs.models import Category, Need

    commune = db.session.scalar(db.select(Commune).where(Commune.slug == DEMO_SLUG))
    lists.ensure_defaults(commune)
    author = db.session.scalar(db.select(User).where(User.email == RESIDENT_B))
    category = db.session.scalar(db.select(Category).where(Category.commune_id == commune.id)
                                 .order_by(Category.id))
    need = Need(commune_id=commune.id, category_id=category.id, title="Banc cassé place de l'église",
                description="Le banc est **cassé**.", author_id=author.id, status="reported",
                latitude=48.761, longitude=5.588, neighbourhood_id=commune.neighbourhoods[0].id)
    db.session.add(need)
    db.session.commit()
    return {"seeded": need.id}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The French demo with the needs plug-in and one need already reported, over HTTP."""
    with serve_demo(tmp_path_factory, plugins=["needs"], seed=_seed_need) as info:
        yield info


def _offline(context):
    # No network: refuse every outside request (the map tiles) at once rather than wait.
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/])"), lambda route: route.abort())


@pytest.fixture
def context_for(browser, site):
    with browser_contexts(browser, site["url"], TIMEOUT_MS, prepare=_offline) as make:
        yield make


def synthesis_cell(page, category: str, neighbourhood: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """((needs, supports) of the cell, (needs, supports) of the category's total)."""
    page.goto(f"{BASE}/synthese")
    headers = page.locator("table.needs-synthesis thead th").all_inner_texts()
    column = headers.index(neighbourhood)
    row = page.locator("table.needs-synthesis tbody tr").filter(
        has=page.locator("th", has_text=re.compile(rf"^{re.escape(category)}$")))
    assert row.count() == 1, f"no synthesis row for {category!r}"
    cells = row.locator("th, td").all_inner_texts()

    def pair(text):
        needs, supports = (int(n) for n in text.split("/"))
        return needs, supports

    return pair(cells[column]), pair(cells[-1])


def test_report_support_and_find_the_need(context_for, site):
    resident = context_for(PHONE).new_page()
    log_in(resident, RESIDENT_A)
    resident.goto(f"{BASE}/signaler")
    assert_fits_the_screen(resident)
    category = resident.locator("#category option").nth(1).inner_text()
    neighbourhood = resident.locator("#neighbourhood option").nth(1).inner_text()
    before_cell, before_total = synthesis_cell(resident, category, neighbourhood)

    resident.goto(f"{BASE}/signaler")
    resident.select_option("#category", label=category)
    resident.fill("#title", "Fuite d'eau rue des Tilleuls")
    resident.fill("#description", "L'eau coule sur le trottoir depuis **trois jours**.")
    resident.locator("#community").select_option(index=1)
    resident.select_option("#neighbourhood", label=neighbourhood)
    # The JS map is on the form: a tap on it fills the latitude and longitude.
    resident.wait_for_selector("#needs-map.leaflet-container")
    map_box = resident.locator("#needs-map")
    box = map_box.bounding_box()
    map_box.click(position={"x": box["width"] / 2 + 20, "y": box["height"] / 2 - 20})
    latitude, longitude = resident.input_value("#latitude"), resident.input_value("#longitude")
    assert latitude and longitude, "a click on the map did not fill the latitude and longitude"
    assert abs(float(latitude) - CENTRE[0]) < 0.05 and abs(float(longitude) - CENTRE[1]) < 0.05
    assert resident.locator("#needs-map .leaflet-marker-icon").count() == 1
    resident.locator("main form.form button[type=submit]").click()
    resident.wait_for_url(re.compile(rf"{BASE}/\d+$"))
    need_path = re.sub(r"^https?://[^/]+", "", resident.url)
    need_id = int(need_path.rsplit("/", 1)[1])
    assert resident.locator("h1").inner_text() == "Fuite d'eau rue des Tilleuls"
    assert resident.locator(".needs-description strong").inner_text() == "trois jours"
    assert_fits_the_screen(resident)

    neighbour = context_for(PHONE).new_page()
    log_in(neighbour, RESIDENT_B)
    neighbour.goto(need_path)
    neighbour.get_by_role("button", name=re.compile("moi aussi", re.I)).click()
    neighbour.wait_for_load_state()
    assert neighbour.get_by_role("button", name=re.compile("retirer", re.I)).count() == 1
    assert re.search(r"\b1 soutien\b", neighbour.locator("main").inner_text())
    assert_fits_the_screen(neighbour)

    # In the list, and on the map drawn from the GeoJSON data.
    resident.goto(BASE)
    link = resident.locator(f".needs-list a[href$='/besoins/{need_id}']")
    assert link.inner_text() == "Fuite d'eau rue des Tilleuls"
    assert "1 soutien" in link.locator("xpath=..").inner_text()
    resident.wait_for_selector("#needs-map .leaflet-marker-icon")
    assert resident.locator("#needs-map .leaflet-marker-icon").count() >= 2
    assert_fits_the_screen(resident)
    geo_url = resident.locator("#needs-map").get_attribute("data-geojson")
    data = resident.evaluate("url => fetch(url).then(r => r.json())", geo_url)
    feature = next(f for f in data["features"] if f["properties"]["id"] == need_id)
    assert feature["properties"]["title"] == "Fuite d'eau rue des Tilleuls"
    assert feature["properties"]["supports"] == 1
    assert feature["geometry"]["coordinates"] == pytest.approx([float(longitude), float(latitude)], abs=1e-6)

    # In the synthesis: one more need, one more support, in its cell and its row's total.
    after_cell, after_total = synthesis_cell(resident, category, neighbourhood)
    assert after_cell == (before_cell[0] + 1, before_cell[1] + 1)
    assert after_total == (before_total[0] + 1, before_total[1] + 1)
    assert_fits_the_screen(resident)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_needs_pages_pass_axe(context_for, site, axe_source, device):
    pages = {"list": BASE, "need": f"{BASE}/{site['seeded']}", "synthesis": f"{BASE}/synthese"}
    anonymous = context_for(PHONE if device == "phone" else DESKTOP).new_page()
    facilitator = context_for(PHONE if device == "phone" else DESKTOP).new_page()
    log_in(facilitator, FACILITATOR)
    visits = [(anonymous, name, path) for name, path in pages.items()]
    visits += [(facilitator, name, path) for name, path in pages.items()]
    visits += [(facilitator, "report", f"{BASE}/signaler"), (facilitator, "import", f"{BASE}/import"),
               (facilitator, "lists", f"{BASE}/listes")]
    for page, name, path in visits:
        response = page.goto(path)
        assert response.ok, f"{name}: {path} answered {response.status}"
        if page.locator("#needs-map").count():
            page.wait_for_selector("#needs-map.leaflet-container")
        if name == "list":
            page.wait_for_selector("#needs-map .leaflet-marker-icon")
        who = "facilitator" if page is facilitator else "anonymous"
        violations = run_axe(page, axe_source)
        assert not violations, f"{name} ({who}, {device}, {path}):\n{describe(violations)}"
        if device == "phone":
            assert_fits_the_screen(page, f"{name} ({who})")


def test_offline_the_map_says_so_and_shows_the_needs_over_the_neighbourhoods(context_for, site, axe_source):
    # No tile server answers (_offline): a village hall without internet.
    page = context_for(PHONE).new_page()
    page.goto(BASE)
    status = page.locator("#needs-map-status")
    status.wait_for(state="visible")
    assert "injoignable" in status.inner_text() and "quartiers" in status.inner_text()
    page.wait_for_selector("#needs-map .leaflet-marker-icon")
    names = page.locator("#needs-map img.leaflet-marker-icon").evaluate_all("els => els.map(e => e.alt)")
    assert "Banc cassé place de l'église" in names and all(names), names
    # The commune and the seeded need's neighbourhood, drawn as vector layers with its name.
    page.wait_for_selector("#needs-map path.needs-outline-neighbourhood")
    assert page.locator("#needs-map path.needs-outline-commune").count() == 1
    assert page.locator("#needs-map .needs-outline-name").count() >= 1
    assert page.locator("#needs-map .leaflet-tile-loaded").count() == 0  # nothing drawn came from outside
    assert page.get_by_role("button", name="Zoom avant").count() == 1
    assert page.get_by_role("button", name="Zoom arrière").count() == 1
    zoom = page.get_by_role("button", name="Zoom avant").bounding_box()
    assert zoom["width"] >= 44 and zoom["height"] >= 44
    assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    violations = run_axe(page, axe_source)
    assert not violations, describe(violations)

    # The need's page: its place on a small map, named by the need, and the same message.
    page.goto(f"{BASE}/{site['seeded']}")
    page.locator("#needs-map-status").wait_for(state="visible")
    marker = page.locator("#needs-map img.leaflet-marker-icon")
    marker.wait_for()
    assert marker.count() == 1 and marker.get_attribute("alt") == "Banc cassé place de l'église"
    page.wait_for_selector("#needs-map path.needs-outline-neighbourhood")
    assert_fits_the_screen(page)
    violations = run_axe(page, axe_source)
    assert not violations, describe(violations)


def test_without_javascript_the_list_and_the_places_stay(context_for, site):
    page = context_for(PHONE, java_script_enabled=False).new_page()
    page.goto(BASE)
    assert not page.locator("#needs-map").is_visible()  # an empty box would say nothing
    item = page.locator(f".needs-list a[href$='/besoins/{site['seeded']}']").locator("xpath=..")
    assert "Banc cassé place de l'église" in item.inner_text()
    assert re.search(r"Quartier\s*:\s*\S.*sur la carte", item.inner_text())
    page.select_option("#filter-neighbourhood", index=1)
    page.get_by_role("button", name="Filtrer").click()
    assert "neighbourhood=" in page.url
    page.goto(f"{BASE}/{site['seeded']}")
    assert re.search(r"Lieu\s*:\s*.+48\.761, 5\.588", page.locator("main").inner_text())
    assert_fits_the_screen(page)
