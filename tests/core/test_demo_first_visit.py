"""The French demo shows a newcomer everything at once (issue 14, item 3): needs on the map,
an open vote and a closed one with its results, a consent round open — on the home page,
on the map and on « Pour moi »."""

from __future__ import annotations

from convergence.extensions import db
from convergence.models import Commune, User
from convergence.testing import login, visible_text


def test_the_demo_holds_needs_on_the_map_an_open_vote_and_a_closed_one_with_results(client, runner):
    from plugins.mj import demo as mj_demo
    from plugins.mj.models import Vote
    from plugins.mj.status import CLOSED, OPEN, status
    from plugins.needs.models import Need

    result = runner.invoke(args=["load-demo", "--password", "demo-password-1"])
    assert result.exit_code == 0, result.output
    commune = db.session.scalar(db.select(Commune))
    needs = db.session.scalars(db.select(Need).where(Need.commune_id == commune.id)).all()
    assert len(needs) >= 4
    assert all(n.latitude is not None and n.longitude is not None and n.neighbourhood_id for n in needs)
    points = client.get(f"/communes/{commune.slug}/besoins/carte.geojson").get_json()
    assert len(points["features"]) == len(needs)

    # The assembly's own two votes (the meeting's vote between wordings is closed too).
    by_question = {v.question: v for v in db.session.scalars(db.select(Vote))}
    votes = {OPEN: by_question[mj_demo.OPEN_QUESTION], CLOSED: by_question[mj_demo.CLOSED_QUESTION]}
    assert (status(votes[OPEN]), status(votes[CLOSED])) == (OPEN, CLOSED)
    results = visible_text(client.get(f"/votes/{votes[CLOSED].id}/resultats"))
    assert "12 bulletins au total (7 en ligne, 5 sur papier)." in results
    assert "1. Jardin partagé — mention majoritaire : Très bien" in results.replace("\u202f", " ")

    home = visible_text(client.get("/"))
    assert votes[OPEN].question in home  # « Ouvert en ce moment »
    assert "Recenser les logements vacants" in home  # its consent round is open
    assert votes[CLOSED].question not in home

    # A resident who has not voted finds the open vote on « Pour moi », with their own need.
    karim = db.session.scalar(db.select(User).where(User.email == "karim.haddad@demo.convergence.fr"))
    login(client, karim, "demo-password-1")
    for_me = visible_text(client.get("/pour-moi"))
    assert votes[OPEN].question in for_me and "Logements vides rue des Tanneries" in for_me
    assert "Recenser les logements vacants" in for_me  # he wrote it
