"""French first: complete catalogs, locale choice, locale formatting."""

import subprocess
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def _catalog(language):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def test_french_catalog_is_complete_and_not_fuzzy():
    catalog = _catalog("fr")
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_catalog_covers_every_string_in_the_code(tmp_path):
    """Extract again: every message id in the code must already be in the French catalog."""
    pot = tmp_path / "messages.pot"
    subprocess.run(["pybabel", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
                    "-o", str(pot), "--no-location", str(ROOT)], check=True, capture_output=True, cwd=ROOT,
                   env={"PATH": str(Path(__import__("sys").executable).parent)})
    with open(pot, "rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog("fr") if m.id}
    assert sorted(wanted - known) == []


def test_french_by_default_english_from_browser_or_choice(client):
    assert 'lang="fr"' in client.get("/").get_data(as_text=True)
    assert 'lang="fr"' in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in page and "Log in" in page
    from tests.fixtures import csrf_token

    client.post("/langue", data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/")})
    assert 'lang="en"' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)


def test_dates_and_money_follow_the_locale(app):
    from datetime import datetime

    from flask_babel import format_datetime, force_locale

    from convergence.i18n import money

    with app.test_request_context(), force_locale("fr"):
        assert "décembre" in format_datetime(datetime(2026, 12, 5, 10, 0), "long")
        assert money(1234.5).replace("\u202f", " ").replace("\xa0", " ") == "1 234,50 €"
    with app.test_request_context(), force_locale("en"):
        assert money(1234.5) == "€1,234.50"


def test_meeting_times_are_shown_in_local_time(app):
    from datetime import datetime

    from flask_babel import force_locale

    from convergence.web.templating import when

    with app.test_request_context(), force_locale("fr"):
        # Stored in UTC: 08:00 UTC on 7 December is 09:00 in Paris.
        assert when(datetime(2026, 12, 7, 8, 0)) == "lundi 7 décembre 2026, 09:00"


def test_templates_translate_in_the_locale_in_force_also_when_it_changes_inside_a_request(app):
    """Templates keep the request's catalogue (convergence.i18n.page_translations): a message
    drawn in French, then under force_locale("en") (a mail to an English speaker), then
    French again, is each time in the locale in force."""
    from flask import render_template_string
    from flask_babel import force_locale

    draw = "{{ _('Log in') }} | {{ explain('recu-de-vote') }}"
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        french = render_template_string(draw)
        with force_locale("en"):
            english = render_template_string(draw)
        again = render_template_string(draw)
    assert french.startswith("Se connecter | ") and "Reçu de vote" in french
    assert english.startswith("Log in | ") and "Ballot receipt" in english and "Reçu" not in english
    assert again == french
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(draw) == english  # a new request (a fresh g): its own locale


def test_static_addresses_follow_the_prefix_the_site_is_mounted_under(app):
    """Static addresses are built once per process (web/templating.py), per mount prefix."""
    from flask import render_template_string

    draw = "{{ url_for('static', filename='css/convergence.css') }} {{ url_for('web.home') }}"
    with app.test_request_context("/"):
        assert render_template_string(draw) == "/static/css/convergence.css /"
    with app.test_request_context("/", base_url="http://localhost/convergence/"):
        assert render_template_string(draw) == "/convergence/static/css/convergence.css /convergence/"
    with app.test_request_context("/"):
        assert render_template_string(draw) == "/static/css/convergence.css /"
