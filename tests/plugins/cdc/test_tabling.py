"""The tabling service: numbers in order, what each kind records, supports counted from the
rows whatever the sequence of clicks, the draft's edits and the opening journalled."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import AuditEntry
from convergence.refusal import Refused
from plugins.cdc import outcomes, tabling
from plugins.cdc.declaration_models import AmendmentSupport
from plugins.cdc.models import Delegation

TEXT = "# L'eau\n\nL'eau est un commun.\n\n# Le logement\n\nNul ne dort dehors."


def delegations(place, make, n):
    rows = []
    for i in range(n):
        d = Delegation(meeting_id=place.meeting.id, status="registered", checkin_token=f"tok-{i}-{make.user('x').id}",
                       collective_name=f"Collectif {i}", kind="collective", people_count=1,
                       registered_by_id=make.user(f"Délégué {i}").id)
        db.session.add(d)
        rows.append(d)
    db.session.flush()
    return rows


def started(place):
    declaration = tabling.start(place.meeting, place.organiser, "  Déclaration   de Commercy ", TEXT)
    return declaration


def test_tabling_numbers_in_order_and_records_both_kinds(app, place, make):
    with app.test_request_context():
        declaration = started(place)
        assert declaration.document.title == "Déclaration de Commercy"
        (one,) = delegations(place, make, 1)
        with pytest.raises(Refused):
            tabling.table(declaration, one, place.visitor, kind="modify", article_number=1, text="X", explanation="")
        assert tabling.open_to_amendments(declaration) is True
        assert tabling.open_to_amendments(declaration) is False
        first = tabling.table(declaration, one, place.visitor, kind="modify", article_number=2,
                              text="Nul ne dort à la rue.", explanation="Plus fort")
        second = tabling.table(declaration, one, place.visitor, kind="add", article_number=None,
                               text="Préambule.", explanation="")
        assert (first.number, second.number) == (1, 2)
        assert first.amendment.original_text == "Nul ne dort dehors." and first.amendment.explanation == "Plus fort"
        assert first.amendment.base_version == declaration.document.version
        assert second.amendment.original_text == "" and second.article_id is None and second.section == "L'eau"
        # Adopted through outcomes: the added article goes at the start.
        outcomes.adopt(second, place.organiser)
        assert [a.text for a in sorted(declaration.articles, key=lambda a: a.position)][0] == "Préambule."
        db.session.commit()
        actions = set(db.session.scalars(db.select(AuditEntry.action)))
        assert {"cdc.declaration.created", "cdc.declaration.opened", "cdc.declaration.tabled"} <= actions


def test_an_edit_after_opening_is_refused_and_a_draft_edit_makes_a_version(app, place):
    with app.test_request_context():
        declaration = started(place)
        article = tabling.article(declaration, 1)
        tabling.edit_article(declaration, article, place.organiser, "L'eau est un bien commun.")
        tabling.edit_article(declaration, article, place.organiser, "L'eau est un bien commun.")  # unchanged
        assert declaration.document.version == 2
        tabling.open_to_amendments(declaration)
        with pytest.raises(Refused) as refused:
            tabling.edit_article(declaration, article, place.organiser, "Autre")
        assert refused.value.status == 409


@pytest.fixture
def amending(app, place, make):
    with app.test_request_context():
        declaration = started(place)
        tabling.open_to_amendments(declaration)
        ids = [d.id for d in delegations(place, make, 4)]
        db.session.commit()
        return place, declaration.id, ids


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clicks=st.lists(st.integers(min_value=0, max_value=2), max_size=12))
def test_supports_count_is_the_rows_whatever_the_clicks(app, amending, clicks):
    from plugins.cdc.declaration_models import Declaration

    place, declaration_id, ids = amending
    with app.test_request_context():
        declaration = db.session.get(Declaration, declaration_id)
        author, *others = [db.session.get(Delegation, i) for i in ids]
        amendment = tabling.table(declaration, author, place.visitor, kind="modify", article_number=1,
                                  text="L'eau est à tous.", explanation="")
        expected = set()
        for i in clicks:
            now = tabling.toggle_support(amendment, others[i])
            expected ^= {others[i].id}
            assert now == (others[i].id in expected)
        rows = set(db.session.scalars(db.select(AmendmentSupport.delegation_id)
                                      .where(AmendmentSupport.amendment_id == amendment.id)))
        assert rows == expected and amendment.supports_count == len(expected)
        with pytest.raises(Refused):
            tabling.toggle_support(amendment, author)
        db.session.rollback()
