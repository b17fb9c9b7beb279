"""The core's drafting service: numbered immutable versions, conflict detection on the
document row, and paragraph amendments that follow their paragraph."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from convergence.drafting import amendments, versions
from convergence.drafting.paragraphs import paragraphs
from convergence.extensions import db
from convergence.models import Amendment, Document, Version
from convergence.refusal import Refused


def test_versions_are_numbered_per_document_and_a_stale_save_is_a_conflict(app, make):
    alice, bob = make.user(), make.user()
    first = versions.create(alice, "Déclaration de Commercy", "Nous, communes.\n\nNous voulons.")
    other = versions.create(bob, "Autre texte", "Un.")
    db.session.commit()
    saved = versions.save(first, alice, 1, "Déclaration de Commercy", "Nous, communes libres.\n\nNous voulons.",
                          note="Plus juste")
    db.session.commit()
    assert (saved.number, first.version, other.version) == (2, 2, 1)
    with pytest.raises(versions.Conflict) as conflict:
        versions.save(first, bob, 1, "Déclaration", "Autre chose")
    assert (conflict.value.base, conflict.value.current.version, conflict.value.status) == (1, 2, 409)
    rows = db.session.execute(db.select(Version.document_id, Version.number, Version.note)
                              .order_by(Version.id)).all()
    assert rows == [(first.id, 1, ""), (other.id, 1, ""), (first.id, 2, "Plus juste")]
    assert db.session.get(Document, first.id).body == "Nous, communes libres.\n\nNous voulons."
    # The numbering is the database's too: a second version 2 cannot exist.
    db.session.add(Version(document_id=first.id, number=2, title="x", body="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_save_that_changes_nothing_or_names_an_unknown_version_is_refused(app, make):
    alice = make.user()
    document = versions.create(alice, "Titre", "Texte.")
    db.session.commit()
    for base, body in ((1, "Texte."), (7, "Autre."), ("x", "Autre.")):
        with pytest.raises(Refused):
            versions.save(document, alice, base, "Titre", body)
    with pytest.raises(Refused):
        versions.create(alice, "  ", "Texte.")


def test_an_amendment_follows_its_paragraph_and_refuses_an_edited_one(app, make):
    alice, bob = make.user(), make.user()
    document = versions.create(alice, "Charte", "Article un.\n\nArticle deux.")
    db.session.commit()
    amendment = amendments.propose(document, bob, "1", "Article deux, amendé.", "Plus précis")
    other = amendments.propose(document, bob, "0", "Article un, amendé.", "")
    db.session.commit()
    # A paragraph added above moves « Article deux » to number 2: the amendment still finds it.
    versions.save(document, alice, 1, "Charte", "Préambule.\n\nArticle un.\n\nArticle deux.")
    db.session.commit()
    version = amendments.accept(amendment, document, alice)
    db.session.commit()
    assert (version.number, version.amendment_id) == (3, amendment.id)
    assert paragraphs(document.body) == ["Préambule.", "Article un.", "Article deux, amendé."]
    versions.save(document, alice, 3, "Charte", "Préambule.\n\nArticle premier.\n\nArticle deux, amendé.")
    db.session.commit()
    with pytest.raises(Refused):
        amendments.accept(other, document, alice)
    db.session.rollback()
    with pytest.raises(Refused):
        amendments.accept(amendment, document, alice)  # decided already
    assert db.session.execute(db.select(Amendment.id, Amendment.state).order_by(Amendment.id)).all() == [
        (amendment.id, "accepted"), (other.id, "pending")]


PARAGRAPH = st.text(alphabet="abc éà.,'", min_size=1, max_size=20).map(str.strip).filter(bool)


@given(st.lists(PARAGRAPH, min_size=1, max_size=8), PARAGRAPH)
@settings(max_examples=200, deadline=None)
def test_a_paragraph_added_at_the_end_keeps_the_numbers_of_the_others(parts, added):
    text = "\n\n".join(parts)
    longer = paragraphs(text + "\n\n" + added)
    assert longer[:len(parts)] == paragraphs(text) == parts
    assert longer[len(parts)] == added
