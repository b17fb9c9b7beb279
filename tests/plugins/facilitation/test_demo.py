"""The French demo's live facilitation: on the « tour des initiatives », a speaking list
with one turn spoken and three people waiting (one without a phone), and notes in the
minutes — in the database and on the pages."""

from __future__ import annotations

from convergence.extensions import db
from convergence.models import AgendaItem, Assembly
from convergence.testing import visible_text
from plugins.facilitation.demo import SPOKEN_SECONDS
from plugins.facilitation.models import ItemNotes, SpeakingRequest


def test_the_demo_has_a_speaking_list_with_a_turn_spoken_and_notes(runner, client):
    output = runner.invoke(args=["load-demo", "--password", "demo-password-1"])
    assert output.exit_code == 0, output.output
    assert "Animation en direct" in output.output
    assembly = db.session.scalar(db.select(Assembly))
    item = db.session.scalar(db.select(AgendaItem).where(AgendaItem.assembly_id == assembly.id,
                                                         AgendaItem.position == 1))
    requests = db.session.scalars(db.select(SpeakingRequest).order_by(SpeakingRequest.id)).all()
    assert [(r.name, r.state, r.group) for r in requests] == [
        ("Amina Benali", "done", "Belleville-sur-Meuse"), ("Karim Haddad", "waiting", "Belleville-sur-Meuse"),
        ("Fatou Diallo", "waiting", "Commercy"), ("Jeanne Perrin", "waiting", "Saillans")]
    assert requests[0].counted == SPOKEN_SECONDS and requests[3].user_id is None
    list_page = visible_text(client.get(f"/assemblees/{assembly.id}/ordre-du-jour/{item.id}/parole"))
    # The delegations not yet heard go before Karim, whose delegation has spoken.
    assert list_page.index("Fatou Diallo") < list_page.index("Karim Haddad")
    assert db.session.get(ItemNotes, item.id).body.startswith("Tour des initiatives")
    minutes = visible_text(client.get(f"/assemblees/{assembly.id}/compte-rendu"))
    assert "présente sa cantine locale" in minutes and "Un atelier sur l'eau est ajouté" in minutes
