"""What the floor-vote and adoption tests share: delegations registered through the
registration page, each by its own head (their mandated delegate), and a declaration open
to amendments with amendments tabled as test_declaration_outcomes.py does."""

from __future__ import annotations

from convergence.extensions import db
from plugins.cdc import declarations
from plugins.cdc.declaration_models import AMENDING
from plugins.cdc.models import Delegation
from tests.fixtures import login

from .test_declaration_outcomes import TEXT, tabled
from .test_registration import register


def delegations(app, make, place, weights):
    """One delegation per weight, registered by its head, who is its mandated delegate."""
    made = []
    for i, weight in enumerate(weights):
        head = make.user(f"Déléguée {i}")
        client = app.test_client()
        login(client, head)
        assert register(client, place, collective_name=f"Collectif {i}").status_code == 303
        delegation = db.session.scalar(db.select(Delegation).where(Delegation.registered_by_id == head.id))
        delegation.vote_weight = weight
        made.append((delegation, head))
    db.session.commit()
    return made


def open_declaration(app, place, n_amendments=1):
    """A declaration open to amendments, with ``n_amendments`` amendments to article 1."""
    with app.test_request_context():
        declaration = declarations.create(place.meeting, place.organiser, "Déclaration de Commercy", TEXT)
        declaration.state = AMENDING
        first = declarations.articles(declaration)[0]
        amendments = [tabled(declaration, place.visitor, "modify", first, f"L'eau est à tous, version {n}.", n)
                      for n in range(1, n_amendments + 1)]
        declaration.next_amendment_number = n_amendments + 1
        db.session.commit()
        return declaration.id, [a.id for a in amendments]
