"""The declaration's pages: the committee creates or imports it, changes articles in draft,
opens it; delegations table amendments and support them; everyone reads it with the
amendments inline."""

from __future__ import annotations

import io

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.models.drafting import Amendment
from plugins.cdc.declaration_models import AmendmentSupport, Article, Declaration, DeclarationAmendment
from tests.fixtures import browser_fields, count_queries, login, visible_text

from .test_registration import register

TEXT = "# L'eau\n\nL'eau est un commun.\n\nSa gestion est publique.\n\n# Le logement\n\nNul ne dort dehors."


def create(client, place, **data):
    page = f"{place.base}/declaration/nouvelle"
    return client.post(page, data={"title": "Déclaration de Commercy", "text": TEXT, **data,
                                   **browser_fields(client, page)})


def opened(client, place):
    page = f"{place.base}/declaration/ouvrir"
    return client.post(page, data=browser_fields(client, page))


def amend(client, place, **data):
    page = f"{place.base}/declaration/amender"
    fields = {"kind": "modify", "article": "1", "text": "L'eau est un bien commun.", "explanation": "Plus clair",
              **data}
    return client.post(page, data={**fields, **browser_fields(client, page)})


def declaration() -> Declaration:
    return db.session.scalar(db.select(Declaration))


def test_the_committee_creates_and_the_public_reads_the_articles(app, client, place):
    login(client, place.organiser)
    response = create(client, place)
    assert response.status_code == 303
    assert [(a.number, a.section) for a in db.session.scalars(db.select(Article).order_by(Article.position))] == [
        (1, "L'eau"), (2, "L'eau"), (3, "Le logement")]
    assert db.session.scalar(db.select(AuditEntry.action).where(AuditEntry.action == "cdc.declaration.created"))
    public = app.test_client().get(f"{place.base}/declaration")
    text = visible_text(public)
    assert public.status_code == 200
    assert "Déclaration de Commercy" in text and "Article 3 Nul ne dort dehors." in text
    assert "Le logement" in text and "Modifier l’article" not in text


def test_importing_a_file_and_the_refusals_keep_what_was_typed(app, client, place):
    login(client, place.organiser)
    refused = create(client, place, text="Pas de titre ici, un seul paragraphe.")
    assert refused.status_code == 422
    assert "Pas de titre ici, un seul paragraphe." in refused.get_data(as_text=True)
    assert "aucun titre" in visible_text(refused)
    assert declaration() is None
    wrong = create(client, place, text="", file=(io.BytesIO(b"\xff\xfe"), "texte.md"))
    assert wrong.status_code == 422 and declaration() is None
    response = create(client, place, text="", file=(io.BytesIO(TEXT.encode()), "declaration.md"))
    assert response.status_code == 303
    assert len(declaration().articles) == 3


def test_replaying_the_creation_creates_nothing_twice(app, client, place):
    login(client, place.organiser)
    page = f"{place.base}/declaration/nouvelle"
    data = {"title": "Déclaration", "text": TEXT, **browser_fields(client, page)}
    assert client.post(page, data=data).status_code == 303
    client.post(page, data=data)
    assert db.session.scalar(db.select(db.func.count()).select_from(Declaration)) == 1


def test_others_cannot_create_or_edit(app, client, place):
    login(client, place.visitor)
    assert client.get(f"{place.base}/declaration").status_code == 404
    assert client.get(f"{place.base}/declaration/nouvelle").status_code == 403


def test_an_article_changes_in_draft_only(app, client, place):
    login(client, place.organiser)
    create(client, place)
    page = f"{place.base}/declaration/articles/2"
    response = client.post(page, data={"text": "Sa gestion est publique et locale.", **browser_fields(client, page)})
    assert response.status_code == 303
    assert db.session.scalar(db.select(Article.text).where(Article.number == 2)) == "Sa gestion est publique et locale."
    assert declaration().document.version == 2
    assert opened(client, place).status_code == 303
    assert declaration().state == "amending"
    refused = client.post(page, data={"text": "Encore changé", **browser_fields(client, page)})
    assert refused.status_code == 409 and "Encore changé" in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(Article.text).where(Article.number == 2)) == "Sa gestion est publique et locale."


def delegation_member(app, place):
    member = app.test_client()
    login(member, place.visitor)
    assert register(member, place).status_code == 303
    return member


def test_a_delegation_tables_and_another_supports(app, client, place, make):
    login(client, place.organiser)
    create(client, place)
    member = delegation_member(app, place)
    assert amend(member, place).status_code == 409  # still a draft
    opened(client, place)
    response = amend(member, place)
    assert response.status_code == 303
    added = amend(member, place, kind="add", article="0", text="Préambule : nous, communes.")
    assert added.status_code == 303
    rows = list(db.session.scalars(db.select(DeclarationAmendment).order_by(DeclarationAmendment.number)))
    assert [(r.number, r.kind, r.article.number if r.article else None) for r in rows] == [
        (1, "modify", 1), (2, "add", None)]
    assert rows[0].amendment.original_text == "L'eau est un commun."
    assert rows[1].section == "L'eau"
    page = visible_text(app.test_client().get(f"{place.base}/declaration"))
    assert "Amendement A1 · Assemblée populaire de Vaucouleurs" in page
    assert "0 délégation le soutient" in page.replace("\u202f", " ")
    html = app.test_client().get(f"{place.base}/declaration").get_data(as_text=True)
    assert "<ins>bien </ins>" in html or "<ins>bien</ins>" in html

    other_user = make.user("Autre déléguée")
    other = app.test_client()
    login(other, other_user)
    assert register(other, place, collective_name="Commune libre de Void").status_code == 303
    support = f"{place.base}/declaration/amendements/1/soutenir"
    fields = browser_fields(other, f"{place.base}/declaration")
    assert other.post(support, data=fields).status_code == 303
    assert db.session.get(DeclarationAmendment, rows[0].id).supports_count == 1
    assert "Retirer le soutien de ma délégation à A1" in visible_text(other.get(f"{place.base}/declaration"))
    assert other.post(support, data=browser_fields(other, f"{place.base}/declaration")).status_code == 303
    assert db.session.scalar(db.select(db.func.count()).select_from(AmendmentSupport)) == 0
    # The tabling delegation does not support its own.
    own = member.post(support, data=browser_fields(member, f"{place.base}/declaration/amender"))
    assert own.status_code == 409
    assert db.session.scalar(db.select(db.func.count()).select_from(AmendmentSupport)) == 0


def test_someone_without_a_delegation_is_refused_in_french(app, client, place):
    login(client, place.organiser)
    create(client, place)
    opened(client, place)
    stranger = app.test_client()
    login(stranger, place.resident)
    page = f"{place.base}/declaration/amender"
    assert stranger.get(page).status_code == 403
    response = stranger.post(page, data={"kind": "modify", "article": "1", "text": "Autre", "explanation": "",
                                         **browser_fields(stranger, page)})
    assert response.status_code == 403
    assert "délégation inscrite" in visible_text(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(Amendment)) == 0


def test_bad_amendments_are_refused_with_the_text_kept(app, client, place):
    login(client, place.organiser)
    create(client, place)
    opened(client, place)
    member = delegation_member(app, place)
    unknown = amend(member, place, article="99", text="Mon texte à garder")
    assert unknown.status_code == 422 and "Mon texte à garder" in unknown.get_data(as_text=True)
    start = amend(member, place, kind="modify", article="0", text="Mon texte à garder")
    assert start.status_code == 422
    same = amend(member, place, text="L'eau est un commun.")
    assert same.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(DeclarationAmendment)) == 0


def test_the_public_page_issues_a_bounded_number_of_queries(app, client, place):
    login(client, place.organiser)
    create(client, place)
    opened(client, place)
    member = delegation_member(app, place)
    amend(member, place)
    with count_queries(app) as few:
        assert member.get(f"{place.base}/declaration").status_code == 200
    for n in (2, 3):
        amend(member, place, article=str(n), text=f"Nouveau texte {n}")
        amend(member, place, kind="add", article=str(n), text=f"Ajout {n}")
    with count_queries(app) as more:
        assert member.get(f"{place.base}/declaration").status_code == 200
    assert len(more) == len(few) and len(few) < 20


def test_a_long_declaration_counts_its_amendments_and_draws_them_one_part_at_a_time(app, client, place,
                                                                                 monkeypatch):
    from plugins.cdc import declaration_views

    login(client, place.organiser)
    create(client, place)
    opened(client, place)
    member = delegation_member(app, place)
    amend(member, place)  # article 1, in « L'eau »
    amend(member, place, article="3", text="Personne ne dort dehors.")  # in « Le logement »
    monkeypatch.setattr(declaration_views, "INLINE_MAX", 1)  # beyond it: counted, one part at a time

    whole = app.test_client().get(f"{place.base}/declaration")
    html = whole.get_data(as_text=True)
    assert whole.status_code == 200
    assert "Article 3 Nul ne dort dehors." in visible_text(whole)
    assert "<ins>" not in html and "?partie=" in html  # no diff drawn, links to the parts

    part = app.test_client().get(f"{place.base}/declaration?partie=2")
    text = visible_text(part)
    assert part.status_code == 200
    assert "Amendement A2" in text and "Amendement A1" not in text
    assert "<ins>" in part.get_data(as_text=True)
    # Tabled on a long text, an amendment is shown where its part's page draws it.
    tabled = amend(member, place, article="3", text="Personne, jamais, ne dort dehors.")
    assert tabled.headers["Location"].endswith("/declaration?partie=2#A3")
    for wrong in ("abc", "-1", "0", "9999999"):
        assert app.test_client().get(f"{place.base}/declaration?partie={wrong}").status_code == 404
