"""The results pages in a real browser (Debian Chromium): axe-core finds nothing on the
results page, the projector view and the import page, on a phone and a desktop; the map of
the funded projects draws its markers with no tile server (the tests have no network) and
the page fits a phone's screen. Skips like the core's browser tests when Chromium or
axe-core are missing."""

from __future__ import annotations

import pytest

from tests.browser_support import DEMO_SLUG, DESKTOP, FACILITATOR, PHONE, assert_accessible, demo_site, signed_in

pytestmark = pytest.mark.browser


def _seed_budget(app) -> dict:
    """A published budget with funded projects on the map, and one not yet voted."""
    import secrets

    from convergence.balloting.models import Ballot
    from convergence.extensions import db
    from convergence.models import Commune, SpaceFeature, User
    from plugins.budget import results
    from plugins.budget.models import FEASIBLE, Area, Process, Project

    commune = db.session.scalar(db.select(Commune).where(Commune.slug == DEMO_SLUG))
    db.session.merge(SpaceFeature(space_id=commune.space_id, plugin_name="budget", active=True))
    process = Process(space_id=commune.space_id, title="Budget participatif 2025", envelope=100_000,
                      min_choices=0, rule="equalshares/add1", vote_state="closed")
    db.session.add(process)
    db.session.flush()
    area = Area(process_id=process.id, name="Centre-bourg", envelope=None)
    db.session.add(area)
    db.session.flush()
    titles = ["Jardin partagé de la gare", "Bancs place de l'église", "Piste cyclable vers le collège",
              "Boîte à livres", "Éclairage du stade"]
    for n, (title, cost) in enumerate(zip(titles, [40_000, 8_000, 60_000, 2_000, 30_000]), 1):
        db.session.add(Project(process_id=process.id, number=n, title=title, cost=cost, status=FEASIBLE,
                               area_id=area.id if n % 2 else None, latitude=48.76 + n / 1000,
                               longitude=5.59 - n / 1000))
    texts = ["1.2", "2.4", "3", "1.3.5", "2.4.5", "1", "3.4"] * 6
    db.session.add_all(Ballot(box_id=process.box_id, receipt=secrets.token_hex(6), content=t) for t in texts)
    db.session.commit()
    results.request(process)
    db.session.commit()
    facilitator = db.session.scalar(db.select(User).where(User.email == FACILITATOR))
    results.publish(db.session.get(Process, process.id), facilitator)
    upcoming = Process(space_id=commune.space_id, title="Budget participatif 2027", envelope=50_000)
    db.session.add(upcoming)
    db.session.commit()
    return {"published": process.id, "upcoming": upcoming.id}


site = demo_site(plugins=["budget"], seed=_seed_budget, offline=True)


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_results_pages_pass_axe(context_for, site, axe_source, device):
    published, upcoming = site["published"], site["upcoming"]
    screen = PHONE if device == "phone" else DESKTOP
    anonymous = context_for(screen).new_page()
    facilitator = signed_in(context_for, FACILITATOR, screen)
    visits = [(anonymous, "results", f"/budgets/{published}/resultats"),
              (anonymous, "projector", f"/budgets/{published}/resultats/projection"),
              (anonymous, "before the vote", f"/budgets/{upcoming}/resultats"),
              (facilitator, "results", f"/budgets/{published}/resultats"),
              (facilitator, "import", f"/budgets/{upcoming}/import")]
    for page, name, path in visits:
        response = page.goto(path)
        assert response.ok, f"{name}: {path} answered {response.status}"
        if page.locator("#budget-map").count():
            page.wait_for_selector("#budget-map path.leaflet-interactive")
        who = "facilitator" if page is facilitator else "anonymous"
        assert_accessible(page, axe_source, f"{name} ({who}, {device}, {path})", fits=device == "phone")


def test_the_map_draws_the_funded_projects_without_tiles(context_for, site):
    page = context_for(PHONE).new_page()
    page.goto(f"/budgets/{site['published']}/resultats")
    page.wait_for_selector("#budget-map path.leaflet-interactive")
    words = page.locator(".budget-map-words li").count()
    assert words >= 1 and page.locator("#budget-map path.leaflet-interactive").count() == words
    assert page.locator("#budget-map-status").is_visible()  # says the background cannot be reached
    assert page.locator(".site-header").is_visible()
    page.goto(f"/budgets/{site['published']}/resultats/projection")
    assert not page.locator(".site-header").is_visible()
