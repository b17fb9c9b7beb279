"""The words of the practice: explained where they appear, listed on /glossaire, French
first, every explanation pointing at an entry that exists."""

from __future__ import annotations

import re

from convergence.glossary.terms import BY_SLUG, TERMS
from convergence.testing.fixtures import csrf_token


def test_the_glossary_lists_every_term_in_french_with_its_anchor(client):
    page = client.get("/glossaire").data.decode()
    anchors = re.findall(r'<dt id="([^"]+)">', page)
    assert sorted(anchors) == sorted(t.slug for t in TERMS)
    assert '<dt id="consentement">Consentement</dt>' in page
    assert "Je me tiens à l&#39;écart" in page
    assert "mention majoritaire" in page.lower() and "parts égales" in page.lower()
    # Alphabetical as read in French: an accented letter among its plain one, not after Z.
    names = re.findall(r'<dt id="[^"]+">([^<]+)</dt>', page)
    assert names[0] == "Amendement"
    assert names.index("Mention majoritaire") < names.index("Méthode des parts égales") < names.index("Objection")
    assert names.index("Reçu de vote") < names.index("Registre des bulletins")


def test_the_glossary_speaks_english_when_asked(client):
    client.post("/langue", data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/")})
    page = client.get("/glossaire").data.decode()
    assert '<dt id="consentement">Consent</dt>' in page
    assert "Method of Equal Shares" in page


def test_slugs_are_anchors_and_unique():
    assert len(BY_SLUG) == len(TERMS)
    for slug in BY_SLUG:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", slug), slug


def test_explain_shows_a_folded_explanation_linking_to_its_entry(app):
    with app.test_request_context("/"):
        html = str(app.jinja_env.globals["explain"]("objection"))
    assert html.startswith('<details class="explain">')
    assert "<summary>Objection\u202f: ce que cela veut dire</summary>" in html
    assert 'href="/glossaire#objection"' in html
    assert "raison" in html  # the definition itself, in French


def test_every_explain_call_in_the_templates_names_a_known_term():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    calls = []
    for template in list((root / "convergence").rglob("*.html")) + list((root / "plugins").rglob("*.html")):
        calls += re.findall(r'explain\("([^"]+)"\)', template.read_text(encoding="utf-8"))
    assert calls, "no explanation in any template"
    unknown = sorted(set(calls) - set(BY_SLUG))
    assert not unknown, unknown


def test_a_circle_page_explains_its_words_where_they_appear(client, make):
    from convergence.extensions import db
    from convergence.models import Circle

    commune = make.commune()
    circle = Circle(commune_id=commune.id, name="Eau", purpose="L'eau de la commune")
    db.session.add(circle)
    db.session.commit()
    page = client.get(f"/cercles/{circle.id}").data.decode()
    entries = page.index('id="entrees"')
    explained = page.index("Tour de consentement\u202f: ce que cela veut dire")
    assert entries < explained  # in the section on entries and exits, where consent is used
    assert page.count('<details class="explain">') == 3
    assert 'href="/glossaire#tour-de-consentement"' in page and 'href="/glossaire#cercle-thematique"' in page
    # The commune page explains its circles too.
    assert 'href="/glossaire#cercle-thematique"' in client.get(f"/communes/{commune.slug}").data.decode()
