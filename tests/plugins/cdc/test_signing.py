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


def _register(app, place, user, **changes):
    from tests.plugins.cdc.test_registration import register

    client = app.test_client()
    login(client, user)
    register(client, place, **changes)
    return client


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count(Signature.id)))


def test_signing_for_another_collective_without_a_reference_or_a_delegation_is_refused(app, place):
    from plugins.cdc.models import Delegation

    visitor = _register(app, place, place.visitor)
    resident = _register(app, place, place.resident, collective_name="Collectif du Haut-Pays",
                         head_name="Habitante", contact_email="haut@example.org")
    page = f"{place.base}/declaration/signer"
    theirs = db.session.scalar(db.select(Delegation).where(Delegation.registered_by_id == place.resident.id))
    mine = db.session.scalar(db.select(Delegation).where(Delegation.registered_by_id == place.visitor.id))
    declaration_id = adopted(app, place)
    from plugins.cdc.declaration_models import Declaration

    with app.test_request_context():
        db.session.get(Declaration, declaration_id).state = "amending"
        db.session.commit()
    # Not adopted yet: the page says so and offers no form; a post is refused, nothing written.
    waiting = visitor.get(page).get_data(as_text=True)
    assert "pas encore adoptée" in waiting and 'name="reference"' not in waiting
    early = visitor.post(page, data={"delegation": mine.id, "reference": "AG du 3 mai", **browser_fields(visitor, page)})
    assert 400 <= early.status_code < 500 and _count() == 0
    with app.test_request_context():
        db.session.get(Declaration, declaration_id).state = "adopted"
        db.session.commit()
    other = visitor.post(page, data={"delegation": theirs.id, "reference": "AG du 3 mai",
                                     **browser_fields(visitor, page)})
    assert other.status_code == 403 and "votre propre collectif" in other.get_data(as_text=True)
    empty = visitor.post(page, data={"delegation": mine.id, "reference": "  ", **browser_fields(visitor, page)})
    assert empty.status_code == 422 and "Indiquez la référence" in empty.get_data(as_text=True)
    organiser = app.test_client()
    login(organiser, place.organiser)
    # Someone in no delegation is told so, and offered no form; a forged post is refused.
    assert "aucune délégation" in organiser.get(page).get_data(as_text=True)
    nobody = organiser.post(page, data={"delegation": mine.id, "reference": "AG", **browser_fields(organiser, page)})
    assert 400 <= nobody.status_code < 500 and _count() == 0
    signed = resident.post(page, data={"delegation": theirs.id, "reference": "AG du Haut-Pays du 9 mai",
                                       **browser_fields(resident, page)})
    assert signed.status_code == 303 and _count() == 1
    from convergence.models import AuditEntry

    act = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "cdc.declaration.signed"))
    assert act is not None and act.details.get("reference") == "AG du Haut-Pays du 9 mai"
