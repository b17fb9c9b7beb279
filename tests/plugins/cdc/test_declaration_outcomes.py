"""An adopted amendment goes into the articles, with stable numbers and a new version."""

from __future__ import annotations

import pytest

from convergence.drafting import versions
from convergence.extensions import db
from convergence.models.drafting import AMENDMENT_ACCEPTED, AMENDMENT_REJECTED, Amendment
from convergence.refusal import Refused
from plugins.cdc import declarations, outcomes
from plugins.cdc.declaration_models import DeclarationAmendment

TEXT = "# L'eau\n\nL'eau est un commun.\n\nSa gestion est publique.\n\n# Le logement\n\nNul ne dort dehors."


def tabled(declaration, user, kind, article, new_text, number):
    core = Amendment(document_id=declaration.document_id, paragraph=None, base_version=declaration.document.version,
                     original_text=article.text if kind == "modify" else "", new_text=new_text, author_id=user.id)
    db.session.add(core)
    db.session.flush()
    amendment = DeclarationAmendment(declaration_id=declaration.id, amendment_id=core.id, number=number, kind=kind,
                                     article_id=article.id)
    db.session.add(amendment)
    db.session.flush()
    return amendment


def test_added_and_changed_articles_keep_the_numbers_stable(app, place):
    with app.test_request_context():
        declaration = declarations.create(place.meeting, place.organiser, "Déclaration de Commercy", TEXT)
        first, second, third = declarations.articles(declaration)
        assert [a.number for a in (first, second, third)] == [1, 2, 3]
        added = tabled(declaration, place.visitor, "add", first, "L'eau potable est gratuite.", 1)
        changed = tabled(declaration, place.visitor, "modify", third, "Nul ne dort à la rue.", 2)
        outcomes.adopt(added, place.organiser)
        outcomes.adopt(changed, place.organiser)
        db.session.commit()
        rows = declarations.articles(declaration)
        assert [(a.number, a.section, a.text) for a in rows] == [
            (1, "L'eau", "L'eau est un commun."), (4, "L'eau", "L'eau potable est gratuite."),
            (2, "L'eau", "Sa gestion est publique."), (3, "Le logement", "Nul ne dort à la rue.")]
        history = versions.history(declaration.document)
        assert [v.number for v in history] == [3, 2, 1]
        assert history[0].amendment_id == changed.amendment_id
        assert "**Article 4.** L'eau potable est gratuite." in declaration.document.body
        assert added.outcome == "adopted" and added.amendment.state == AMENDMENT_ACCEPTED


def test_an_amendment_to_a_changed_article_no_longer_applies(app, place):
    with app.test_request_context():
        declaration = declarations.create(place.meeting, place.organiser, "Déclaration", TEXT)
        article = declarations.articles(declaration)[0]
        one = tabled(declaration, place.visitor, "modify", article, "L'eau est à tous.", 1)
        two = tabled(declaration, place.visitor, "modify", article, "L'eau n'est pas à vendre.", 2)
        outcomes.adopt(one, place.organiser)
        with pytest.raises(Refused) as refused:
            outcomes.adopt(two, place.organiser)
        assert refused.value.status == 409
        outcomes.close(two, place.organiser, "rejected", "Déjà couvert")
        assert two.amendment.state == AMENDMENT_REJECTED and two.amendment.reason == "Déjà couvert"
        with pytest.raises(Refused):
            outcomes.close(two, place.organiser, "rejected")


def test_a_second_declaration_for_a_meeting_is_refused(app, place):
    with app.test_request_context():
        declarations.create(place.meeting, place.organiser, "Déclaration", TEXT)
        with pytest.raises(Refused):
            declarations.create(place.meeting, place.organiser, "Autre", TEXT)
