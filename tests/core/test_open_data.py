"""« Données ouvertes »: every commune, assembly and circle lists what its plug-ins publish
(the ``exports`` hook), with absolute links from the configured public address, in a bounded
number of queries."""

from __future__ import annotations

import csv
import io

import pytest

from convergence.extensions import db
from convergence.models import Circle, SpaceFeature
from convergence.testing import count_queries, visible_text


@pytest.fixture
def spaces(make):
    commune = make.commune("Commune ouverte", slug="commune-ouverte")
    assembly = make.assembly(commune, "Assemblée ouverte")
    circle = Circle(commune_id=commune.id, name="Cercle ouvert", purpose="Publier.")
    db.session.add(circle)
    db.session.commit()
    return {"commune": commune, "assembly": assembly, "circle": circle}


def closed_vote(space, question: str):
    from plugins.mj import api

    vote = api.create_vote(space, question, ["Oui", "Non"], opens_at=None)
    api.open_vote(vote)
    api.close_vote(vote)
    return vote


def open_data(client, url: str) -> tuple[str, list[tuple[str, str]]]:
    """The page's text and its (label, address) entries."""
    import re

    page = client.get(url)
    assert page.status_code == 200, url
    html = page.get_data(as_text=True)
    entries = re.findall(r'<li><a href="([^"]+)">([^<]+)</a><br><code>([^<]+)</code></li>', html)
    assert all(href == shown for href, _label, shown in entries)  # the address shown is the link's
    return visible_text(page), [(label, href) for href, label, _shown in entries]


PAGES = {"commune": "/communes/commune-ouverte", "assembly": "/assemblees/{id}", "circle": "/cercles/{id}"}


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_space_links_to_its_open_data_page(client, spaces, kind):
    space = spaces[kind]
    page = PAGES[kind].format(id=space.id)
    assert f'href="{page}/donnees-ouvertes"' in client.get(page).get_data(as_text=True)
    text, _entries = open_data(client, f"{page}/donnees-ouvertes")
    assert "Données ouvertes" in text and (getattr(space, "title", None) or space.name) in text


def test_an_assembly_lists_its_closed_votes_and_its_proposals(client, spaces):
    assembly = spaces["assembly"]
    vote = closed_vote(assembly, "Ouvrir la salle le dimanche ?")
    from plugins.mj import api

    api.create_vote(assembly, "Vote pas encore ouvert", ["A", "B"], opens_at=None)  # no results yet: not listed
    closed_vote(spaces["circle"], "Question du cercle")  # another space's
    text, entries = open_data(client, f"/assemblees/{assembly.id}/donnees-ouvertes")
    assert entries == [
        ("Résultats de «\u202fOuvrir la salle le dimanche ?\u202f» (CSV)", f"http://localhost/votes/{vote.id}/resultats.csv"),
        ("Résultats de «\u202fOuvrir la salle le dimanche ?\u202f» (JSON)", f"http://localhost/votes/{vote.id}/resultats.json"),
        ("Propositions (CSV)", f"http://localhost/assemblees/{assembly.id}/propositions/export.csv"),
        ("Compte rendu (Markdown)", f"http://localhost/assemblees/{assembly.id}/compte-rendu.md"),
        ("Statistiques de parole (CSV)", f"http://localhost/assemblees/{assembly.id}/statistiques-de-parole.csv"),
    ]
    assert "pas encore ouvert" not in text and "Question du cercle" not in text
    # The links give the data.
    results = client.get(f"/votes/{vote.id}/resultats.csv")
    assert results.status_code == 200 and "Mention majoritaire" in results.get_data(as_text=True)


def test_a_plugin_switched_off_in_the_assembly_publishes_nothing_there(client, spaces):
    assembly = spaces["assembly"]
    closed_vote(assembly, "Question publiée")
    db.session.add(SpaceFeature(space_id=assembly.space_id, plugin_name="mj", active=False))
    db.session.commit()
    text, entries = open_data(client, f"/assemblees/{assembly.id}/donnees-ouvertes")
    assert "Question publiée" not in text
    assert [label for label, _url in entries] == ["Propositions (CSV)", "Compte rendu (Markdown)",
                                                  "Statistiques de parole (CSV)"]


def test_a_circle_lists_its_own_votes(client, spaces):
    circle = spaces["circle"]
    vote = closed_vote(circle, "Par où commencer ?")
    closed_vote(spaces["assembly"], "Question de l'assemblée")
    _text, entries = open_data(client, f"/cercles/{circle.id}/donnees-ouvertes")
    assert [url for _label, url in entries] == [f"http://localhost/votes/{vote.id}/resultats.csv",
                                                f"http://localhost/votes/{vote.id}/resultats.json"]


def test_a_commune_lists_its_journal_and_its_needs(client, spaces):
    _text, entries = open_data(client, "/communes/commune-ouverte/donnees-ouvertes")
    assert entries == [("Journal des décisions, chaîné par empreintes (JSON)",
                        "http://localhost/communes/commune-ouverte/journal.json"),
                       ("Besoins (CSV)", "http://localhost/communes/commune-ouverte/besoins/export.csv"),
                       ("Carte des besoins (GeoJSON)",
                        "http://localhost/communes/commune-ouverte/besoins/export.geojson")]
    exported = client.get("/communes/commune-ouverte/besoins/export.csv").get_data(as_text=True)
    assert next(csv.reader(io.StringIO(exported)))[0] == "id"


def test_nothing_published_is_said(client, make):
    commune = make.commune(slug="vide")
    circle = Circle(commune_id=commune.id, name="Cercle vide", purpose="Rien.")
    db.session.add(circle)
    db.session.commit()
    text, entries = open_data(client, f"/cercles/{circle.id}/donnees-ouvertes")
    assert entries == [] and "Rien n'est encore publié ici." in text


def test_links_follow_the_public_address_not_the_request(app, client, spaces):
    app.config["PUBLIC_URL"] = "https://convergence.example.org/belleville"
    vote = closed_vote(spaces["assembly"], "Question")
    page = client.get(f"/assemblees/{spaces['assembly'].id}/donnees-ouvertes",
                      headers={"Host": "evil.example"}).get_data(as_text=True)
    assert f"https://convergence.example.org/belleville/votes/{vote.id}/resultats.csv" in page
    assert "evil.example" not in page


@pytest.mark.parametrize("kind", ["commune", "assembly", "circle"])
def test_unknown_spaces_are_404(client, kind):
    url = {"commune": "/communes/nulle-part", "assembly": "/assemblees/999", "circle": "/cercles/999"}[kind]
    assert client.get(f"{url}/donnees-ouvertes").status_code == 404


def test_the_page_costs_the_same_queries_with_many_votes(app, client, spaces):
    assembly, circle = spaces["assembly"], spaces["circle"]

    def measured() -> dict[str, int]:
        counts = {}
        for url in (f"/assemblees/{assembly.id}/donnees-ouvertes", f"/cercles/{circle.id}/donnees-ouvertes",
                    "/communes/commune-ouverte/donnees-ouvertes"):
            with count_queries(app) as statements:
                assert client.get(url).status_code == 200
            counts[url] = len(statements)
        return counts

    for space in (assembly, circle):
        closed_vote(space, "Première question")
    few = measured()
    for n in range(8):
        for space in (assembly, circle):
            closed_vote(space, f"Question {n}")
    assert measured() == few
    assert max(few.values()) <= 6, few


def test_a_question_typed_with_markup_is_shown_as_text(client, spaces):
    # A vote's question is typed by a facilitator; a lazy translation would carry it into the
    # page unescaped (a lazy string's __html__ is its text), so the label is translated eagerly.
    assembly = spaces["assembly"]
    closed_vote(assembly, '<script>alert("x")</script> Fermer ?')
    html = client.get(f"/assemblees/{assembly.id}/donnees-ouvertes").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Fermer ?" in html
