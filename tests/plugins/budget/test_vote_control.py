"""Opening and closing a budget's vote by hand (views/vote_control.py): a confirmation page,
then the same transitions as at the dates — the rules frozen at the opening, the box
written out and the result computed at the close — and only for the facilitators."""

from __future__ import annotations

from convergence.extensions import db
from plugins.budget.models import COMPUTED, Process, Result
from tests.fixtures import csrf_token, journal_acts, login, visible_text

from .ballot_support import new_process, post_ballot, recorded, town


def logout(client):
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})


def confirm(client, url):
    return client.post(url, data={"csrf_token": csrf_token(client, url), "confirm": "1"})


def test_a_facilitator_opens_then_closes_the_vote_and_the_result_is_computed(client, make):
    place = town(make)
    process = new_process(place.commune, opens=60 * 24, closes=60 * 48)
    login(client, place.facilitator)
    page = client.get(f"/budgets/{process.id}")
    assert "Le vote n'est pas encore ouvert." in visible_text(page)
    assert f"/budgets/{process.id}/vote/ouvrir" in page.get_data(as_text=True)
    asked = visible_text(client.get(f"/budgets/{process.id}/vote/ouvrir"))
    assert "Ouvrir le vote maintenant" in asked and "5 projets réalisables" in asked
    assert confirm(client, f"/budgets/{process.id}/vote/ouvrir").status_code == 302
    db.session.expire_all()
    opened = db.session.get(Process, process.id)
    assert opened.vote_state == "open" and opened.rules_frozen_at is not None

    logout(client)
    login(client, place.residents[0])
    recorded(post_ballot(client, process.id, (1, 2)))

    logout(client)
    login(client, place.facilitator)
    assert confirm(client, f"/budgets/{process.id}/vote/clore").status_code == 302
    db.session.expire_all()
    assert db.session.get(Process, process.id).vote_state == "closed"
    result = db.session.get(Result, process.id)
    assert result.state == COMPUTED and result.ballots_count == 1
    assert confirm(client, f"/budgets/{process.id}/resultats/publier").status_code in (302, 303)
    assert journal_acts(client, place.commune, "budget.") == [
        f"Camille Animatrice a publié le résultat du budget « Budget participatif 2027 » : "
        f"{len(result.funded)} projets financés, {result.total_cost} € en tout (règle equalshares/add1, "
        f"empreinte des bulletins {result.ballots_hash[:12]}).",
        "Le vote du budget « Budget participatif 2027 » a été clos avec 1 bulletin déposé en ligne.",
        "Le vote du budget « Budget participatif 2027 » s'est ouvert, ses règles figées, avec 5 projets "
        "sur le bulletin.",
    ]


def test_a_resident_may_not_open_the_vote_and_a_replay_changes_nothing(client, make):
    place = town(make)
    process = new_process(place.commune, opens=60, closes=120)
    login(client, place.residents[0])
    assert client.get(f"/budgets/{process.id}/vote/ouvrir").status_code == 403
    logout(client)
    login(client, place.facilitator)
    url = f"/budgets/{process.id}/vote/ouvrir"
    assert confirm(client, url).status_code == 302
    again = confirm(client, url)
    assert again.status_code == 409 and "déjà ouvert ou clos" in visible_text(again)
    closing = confirm(client, f"/budgets/{process.id}/vote/clore")
    assert closing.status_code == 302
    refused = confirm(client, f"/budgets/{process.id}/vote/clore")
    db.session.expire_all()
    assert refused.status_code == 409 and db.session.get(Process, process.id).vote_state == "closed"
