"""Searches ignore capitals and accents alike on SQLite and PostgreSQL
(convergence/text_fold.py): the database folds a stored name exactly as Python folds the
typed query, for every accented or capital Latin letter."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import User
from convergence.text_fold import TABLE, fold, folded, like_pattern

# Names as people type them: French letters with and without accents, both cases, the
# other letters of the table, spaces, hyphens, apostrophes and LIKE's own characters.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ"
names = st.text(st.sampled_from(LETTERS + "".join(TABLE) + " -'%_\\"), min_size=1, max_size=40)


def test_the_fold_of_the_french_letters():
    assert fold("Élodie GARNIER") == "elodie garnier"
    assert fold("Thérèse Œuvray-Ça") == "therese œuvray-ca"
    assert fold(unicodedata.normalize("NFD", "Hélène")) == "helene"  # accents typed as combining marks
    assert fold(None) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names)
def test_the_database_folds_as_python_does(app, name):
    assert db.session.scalar(db.select(folded(db.literal(name)))) == fold(name)


def people(make, names_):
    for name in names_:
        make.user(name)


def found(typed: str) -> list[str]:
    """The names found, sorted here: the databases' collations order accents differently."""
    return sorted(db.session.scalars(db.select(User.display_name).where(
        folded(User.display_name).like(like_pattern(typed), escape="\\"))))


def test_a_search_finds_accented_capitals_and_nothing_else(app, make):
    people(make, ["Élodie Garnier", "Elodie Martin", "Hélène Moreau", "Émile 100%_sûr", "Éloi Petit"])
    assert found("élodie") == ["Elodie Martin", "Élodie Garnier"]
    assert found("ELODIE GAR") == ["Élodie Garnier"]
    assert found("helene") == ["Hélène Moreau"]
    # LIKE's characters are typed literally: « % » finds the one name holding it.
    assert found("100%_") == ["Émile 100%_sûr"]
    assert found("%") == ["Émile 100%_sûr"]
    assert found("élo") == ["Elodie Martin", "Élodie Garnier", "Éloi Petit"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, data=st.data())
def test_any_piece_of_a_name_typed_in_any_case_finds_it(app, make, name, data):
    db.session.execute(db.delete(User).where(User.email == "hyp@example.org"))
    make.user(name, "hyp@example.org")
    start = data.draw(st.integers(0, len(name) - 1))
    piece = name[start:data.draw(st.integers(start + 1, len(name)))]
    typed = data.draw(st.sampled_from([piece, piece.upper(), piece.lower(), fold(piece)]))
    # A few letters of the table have a capital of two characters (« ǰ » → « J̌ »): their
    # capitals are not the same search.
    assume(fold(typed) == fold(piece))
    assert name in found(typed)
