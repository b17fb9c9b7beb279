"""The mandated delegate signs the adopted declaration for its collective, once."""

from __future__ import annotations

from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.cdc import declarations
from plugins.cdc.declaration_models import Signature
from tests.fixtures import browser_fields, login
from tests.plugins.cdc.conftest import registration_data

TEXT = "# L'eau\n\nL'eau est un commun.\n\n# Le logement\n\nNul ne dort dehors."


def adopted(app, place):
    with app.test_request_context():
        declaration = declarations.create(place.meeting, place.organiser, "Déclaration de Commercy", TEXT)
        # Adoption is another page's work: the state is set directly here.
        declaration.state, declaration.adopted_at = "adopted", utcnow()
        declaration.adopted_version, declaration.adopted_hash = declaration.document.version, "ab" * 32
        db.session.commit()
        return declaration.id


def test_the_mandated_delegate_signs_once(app, client, place):
    adopted(app, place)
    login(client, place.visitor)
    client.post(f"{place.base}/inscription", data={**registration_data(place),
                                                   **browser_fields(client, f"{place.base}/inscription")})
    page = f"{place.base}/declaration/signer"
    form = client.get(page).get_data(as_text=True)
    assert "Assemblée populaire de Vaucouleurs" in form
    from plugins.cdc.models import Delegation
    delegation = db.session.scalar(db.select(Delegation))
    sent = client.post(page, data={"delegation": delegation.id, "reference": "AG du 12 janvier",
                                   **browser_fields(client, page)})
    assert sent.status_code == 303
    again = client.post(page, data={"delegation": delegation.id, "reference": "AG bis",
                                    **browser_fields(client, page)})
    # The page no longer offers the form once signed: a second signature is refused.
    assert 400 <= again.status_code < 500
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1
    listed = client.get(f"{place.base}/declaration/signataires").get_data(as_text=True)
    assert "AG du 12 janvier" in listed
    assert client.get(f"{place.base}/declaration/texte").status_code == 200
    document = client.get(f"{place.base}/declaration.pdf")
    assert document.status_code == 200 and document.data.startswith(b"%PDF")
