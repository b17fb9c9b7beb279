"""/styleguide shows every component in development, and is not there in production."""

from __future__ import annotations

import re

from convergence.assets import ICONS


def test_the_style_guide_is_not_served_in_production(app, client):
    assert not app.debug and not app.config["STYLEGUIDE"]
    assert client.get("/styleguide").status_code == 404


def test_the_style_guide_shows_every_component(app, client):
    app.config["STYLEGUIDE"] = True
    page = client.get("/styleguide")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for component in ('class="button"', 'class="button secondary"', 'class="button danger"', 'class="link-button"',
                      'class="card"', 'class="badge badge-open"', 'class="badge badge-closed"', 'class="subnav"',
                      'class="empty"', 'class="flash flash-success"', 'class="flash flash-error"',
                      'class="error-summary"', 'aria-invalid="true"', 'type="radio"', 'type="checkbox"',
                      'class="explain"', 'class="stack"', 'class="swatches"'):
        assert component in html, component
    # Every icon of the sprite, and every contrast ratio, with its figure.
    for name in ICONS:
        assert f"#{name}\"" in html, name
    assert re.search(r"<td[^>]*>17\.08&#8239;:&#8239;1</td>", html)  # ink on paper
    assert "Guide de style" in html  # in French first


def test_debug_mode_alone_serves_it(app, client):
    app.debug = True
    try:
        assert client.get("/styleguide").status_code == 200
    finally:
        app.debug = False
