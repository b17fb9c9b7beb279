"""Casting budget ballots over HTTP: the ballot page, its status line, « Valider mon vote »,
the receipt, changing a ballot, one ballot per person by the database, voting codes, and
what is refused (French, 4xx, nothing stored). Content and database both."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from convergence.balloting import InvalidBallot
from convergence.balloting.models import Ballot, Participation, SealedBallot, VotingCode
from convergence.extensions import db
from convergence.models.base import utcnow
from plugins.budget import ballots, casting, status
from plugins.budget.method import BudgetBallots, check_form, read_form, status_sentence
from plugins.budget.models import Process
from tests.fixtures import count_queries, csrf_token, login, visible_text

from .ballot_support import RECEIPT_SHOWN, ballot_data, new_process, post_ballot, recorded, town


def plain(text: str) -> str:
    """French typography's narrow and no-break spaces as plain spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def counts(process_id: int) -> tuple[int, int, int]:
    box_id = db.session.get(Process, process_id).box_id
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(table).where(table.box_id == box_id))
                 for table in (Participation, SealedBallot, Ballot))


def opened_texts(process_id: int) -> dict[str, str]:
    """receipt → text of the sealed ballots of a process (the close's view of them)."""
    process = db.session.get(Process, process_id)
    rows = db.session.scalars(sa.select(SealedBallot.sealed).where(SealedBallot.box_id == process.box_id)).all()
    return dict(casting._opened(process.box, rows))


@pytest.fixture
def place(make):
    return town(make)


def test_the_ballot_lists_the_projects_on_it_with_their_links(client, place):
    process = new_process(place.commune)
    login(client, place.residents[0])
    response = client.get(f"/budgets/{process.id}/bulletin")
    assert response.status_code == 200
    text = visible_text(response)
    for number in (1, 2, 3, 4, 5):
        assert f"N° {number} · Projet {number}" in text
        assert f'href="/budgets/{process.id}/projets/{number}"' in response.get_data(as_text=True)
    assert "Projet refusé" not in text  # not feasible: not on the ballot
    assert "Bas-Montreuil" in text and "Nature" in text and "40 000 €" in text and "40 000,00" not in text
    assert "Valider mon vote" in text
    # The status line is there from the start, in plain French, in an aria-live region.
    assert 'id="ballot-status"' in response.get_data(as_text=True) and 'aria-live="polite"' in response.get_data(as_text=True)
    assert "Vous n'avez choisi aucun projet : choisissez-en au moins 1." in text


def test_a_ballot_is_cast_sealed_and_given_a_receipt(client, place):
    process = new_process(place.commune)
    login(client, place.residents[0])
    receipt = recorded(post_ballot(client, process.id, [2, 5]))
    assert counts(process.id) == (1, 1, 0)
    assert opened_texts(process.id) == {receipt: "2.5"}
    participation = db.session.scalar(sa.select(Participation))
    assert participation.user_id == place.residents[0].id


def test_too_many_projects_is_refused_with_the_sentence_and_the_choices_kept(client, place):
    process = new_process(place.commune, max_choices=2)
    login(client, place.residents[0])
    response = post_ballot(client, process.id, [1, 2, 3])
    assert response.status_code == 422
    text = visible_text(response)
    assert "Vous avez choisi 3 projets : 2 au plus." in text
    page = response.get_data(as_text=True)
    for number in (1, 2, 3):
        assert f'value="{number}" checked' in page
    assert 'value="4" checked' not in page
    assert counts(process.id) == (0, 0, 0)


def test_the_status_line_says_the_same_as_the_refusal(client, place):
    process = new_process(place.commune, max_choices=2)
    login(client, place.residents[0])
    def line(query: str) -> dict:
        answer = client.get(f"/budgets/{process.id}/bulletin/etat?{query}").get_json()
        return {**answer, "sentence": plain(answer["sentence"])}

    assert line("project=1&project=2&project=3") == {"valid": False, "sentence": "Vous avez choisi 3 projets : 2 au plus."}
    assert plain(visible_text(post_ballot(client, process.id, [1, 2, 3]))).count(
        "Vous avez choisi 3 projets : 2 au plus.") == 1
    assert line("project=1&project=2") == {"valid": True, "sentence": "Votre bulletin respecte les règles : 2 projets choisis."}


def test_one_ballot_per_person_then_change_with_the_receipt(client, place):
    process = new_process(place.commune)
    login(client, place.residents[0])
    receipt = recorded(post_ballot(client, process.id, [1]))
    again = post_ballot(client, process.id, [2])
    assert again.status_code == 409
    assert "Vous avez déjà voté" in visible_text(again)
    assert counts(process.id) == (1, 1, 0)
    assert opened_texts(process.id) == {receipt: "1"}
    # The page now asks for the receipt; with it the ballot is replaced, not added.
    assert 'name="receipt"' in client.get(f"/budgets/{process.id}/bulletin").get_data(as_text=True)
    wrong = post_ballot(client, process.id, [2], receipt="AAAA-BBBB-CCCC")
    assert wrong.status_code == 422 and opened_texts(process.id) == {receipt: "1"}
    changed = post_ballot(client, process.id, [2, 3], receipt=receipt.lower())
    assert recorded(changed) == receipt
    assert "Votre bulletin a été modifié" in visible_text(changed)
    assert counts(process.id) == (1, 1, 0)
    assert opened_texts(process.id) == {receipt: "2.3"}


def test_the_database_refuses_a_second_participation(app, place):
    process = new_process(place.commune)
    with app.test_request_context():
        casting.cast(db.session.get(Process, process.id), {1: 1}, user_id=place.residents[0].id)
        with pytest.raises(casting.BallotError) as refused:
            casting.cast(db.session.get(Process, process.id), {2: 1}, user_id=place.residents[0].id)
    assert refused.value.status == 409
    assert counts(process.id) == (1, 1, 0)


def test_a_project_of_another_budget_is_refused(client, place):
    process = new_process(place.commune)
    other = new_process(place.commune, projects=((7, 5_000),))
    login(client, place.residents[0])
    response = post_ballot(client, process.id, [1, 7])
    assert response.status_code == 422
    assert "Le projet n° 7 n'est pas sur ce bulletin." in visible_text(response)
    not_feasible = post_ballot(client, process.id, [99])
    assert not_feasible.status_code == 422
    assert counts(process.id) == (0, 0, 0) and counts(other.id) == (0, 0, 0)


def test_a_forged_form_is_refused_whole(client, place):
    process = new_process(place.commune)
    login(client, place.residents[0])
    response = post_ballot(client, process.id, ["abc"])
    assert response.status_code == 422
    assert "Rien n'a été enregistré" in visible_text(response)
    assert counts(process.id) == (0, 0, 0)


def test_a_vote_after_the_close_or_before_the_opening_is_refused(client, place):
    process = new_process(place.commune, opens=-60, closes=-1)
    login(client, place.residents[0])
    token = csrf_token(client, f"/budgets/{process.id}/bulletin")
    page = client.get(f"/budgets/{process.id}/bulletin")
    assert "Ce vote est clos" in visible_text(page) and "Valider mon vote" not in visible_text(page)
    response = client.post(f"/budgets/{process.id}/bulletin", data={"csrf_token": token, "project": ["1"]})
    assert response.status_code == 410
    assert "Ce vote est clos" in visible_text(response)
    later = new_process(place.commune, opens=30, closes=60)
    response = client.post(f"/budgets/{later.id}/bulletin", data={"csrf_token": token, "project": ["1"]})
    assert response.status_code == 403
    assert counts(process.id) == (0, 0, 0) and counts(later.id) == (0, 0, 0)


def test_a_ballot_waiting_for_a_closed_vote_is_refused_in_the_statement(app, place):
    """The close is marked on the row: a ballot whose clock still says open writes nothing."""
    process = new_process(place.commune)
    with app.test_request_context():
        locked = db.session.get(Process, process.id)
        status.close_now(locked)
        db.session.commit()
        with pytest.raises(casting.BallotError) as refused:
            casting.cast(db.session.get(Process, process.id), {1: 1}, user_id=place.residents[0].id)
    assert refused.value.status == 410
    assert counts(process.id) == (0, 0, 0)


def test_outsiders_and_visitors_have_no_ballot(client, place):
    process = new_process(place.commune)
    assert client.get(f"/budgets/{process.id}/bulletin").status_code in (302, 401)
    login(client, place.outsider)
    response = post_ballot(client, process.id, [1])
    assert response.status_code == 403
    assert counts(process.id) == (0, 0, 0)


def test_a_site_administrator_has_no_ballot_in_someone_s_place(client, make, place):
    process = new_process(place.commune)
    login(client, make.user("Admin", admin=True))
    assert post_ballot(client, process.id, [1]).status_code == 403
    assert counts(process.id) == (0, 0, 0)


def test_points_ballot_rules_and_text(client, place):
    process = new_process(place.commune, ballot_kind="points", max_choices=None, max_points_per_project=3,
                          max_points=7)
    login(client, place.residents[0])
    response = post_ballot(client, process.id, points={1: 4, 2: 4})
    assert response.status_code == 422
    text = visible_text(response)
    assert "Le projet n° 1 et 2" not in text
    assert "Les projets n° 1, 2 ont reçu plus de 3 points : 3 au plus par projet." in text
    assert "Vous avez donné 8 points : 7 au plus en tout." in text
    assert 'name="points-1" value="4"' in response.get_data(as_text=True)
    receipt = recorded(post_ballot(client, process.id, points={1: 3, 4: 2, 5: ""}))
    assert opened_texts(process.id) == {receipt: "1:3.4:2"}


def test_knapsack_ballot_within_the_envelope(client, place):
    process = new_process(place.commune, ballot_kind="knapsack", max_choices=None)
    login(client, place.residents[0])
    response = post_ballot(client, process.id, [1, 4, 3])  # 110 000 € for 100 000 €
    assert response.status_code == 422
    assert "Les projets choisis coûtent 110 000 € : 100 000 € au plus." in visible_text(response)
    receipt = recorded(post_ballot(client, process.id, [1, 4]))
    assert opened_texts(process.id) == {receipt: "1.4"}


def test_voting_codes_for_residents_without_an_account(app, client, place):
    process = new_process(place.commune, voters="both")
    login(client, place.facilitator)
    page = client.get(f"/budgets/{process.id}/codes")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    from tests.fixtures import form_token

    made = client.post(f"/budgets/{process.id}/codes", data={
        "csrf_token": csrf_token(client, f"/budgets/{process.id}/codes"),
        "form_token": form_token(client, f"/budgets/{process.id}/codes"), "count": "3"})
    assert made.status_code == 302
    codes = db.session.scalars(sa.select(VotingCode.code).where(VotingCode.box_id == process.box_id)).all()
    assert len(codes) == 3
    printed = client.get(f"/budgets/{process.id}/codes/imprimer").get_data(as_text=True)
    assert all(code in printed for code in codes)
    client = app.test_client()
    # Someone without an account: the code, then the ballot, then the code is used up.
    assert client.get(f"/budgets/{process.id}/bulletin").status_code == 302
    entered = client.post(f"/budgets/{process.id}/code", data={
        "csrf_token": csrf_token(client, f"/budgets/{process.id}/code"), "code": codes[0].lower()})
    assert entered.status_code == 302 and entered.headers["Location"].endswith(f"/budgets/{process.id}/bulletin")
    receipt = recorded(post_ballot(client, process.id, [3]))
    participation = db.session.scalar(sa.select(Participation).where(Participation.box_id == process.box_id))
    assert participation.user_id is None and participation.code_id is not None
    used = client.post(f"/budgets/{process.id}/code", data={
        "csrf_token": csrf_token(client, f"/budgets/{process.id}/code"), "code": codes[0]})
    assert used.status_code == 410 and "déjà été utilisé" in visible_text(used)
    unknown = client.post(f"/budgets/{process.id}/code", data={
        "csrf_token": csrf_token(client, f"/budgets/{process.id}/code"), "code": "ZZZZZ-ZZZZZ"})
    assert unknown.status_code == 404
    assert opened_texts(process.id) == {receipt: "3"}


def test_codes_pages_are_the_facilitators(app, client, place):
    process = new_process(place.commune, voters="codes")
    login(client, place.residents[0])
    assert client.get(f"/budgets/{process.id}/codes").status_code == 403
    members_only = new_process(place.commune)
    client = app.test_client()
    login(client, place.facilitator)
    assert client.get(f"/budgets/{members_only.id}/codes").status_code == 404


def test_the_page_takes_a_bounded_number_of_queries(app, client, place):
    process = new_process(place.commune, projects=[(n, 1000 * n) for n in range(1, 41)], max_choices=10)
    login(client, place.residents[0])
    client.get(f"/budgets/{process.id}/bulletin")
    with count_queries(app) as queries:
        response = client.get(f"/budgets/{process.id}/bulletin")
    assert response.status_code == 200
    assert len(queries) <= 12, queries


# -- the method, pure -------------------------------------------------------------------

RULES = ballots.BallotRules(kind="approval", costs={1: 10, 2: 20, 3: 30, 4: 40}, min_choices=1, max_choices=2)
POINTS = ballots.BallotRules(kind="points", costs={1: 10, 2: 20, 3: 30}, max_points_per_project=3, max_points=5)

values = st.one_of(st.integers(-5, 200).map(str), st.text(max_size=4), st.sampled_from(["", " 1", "0", "1.5", "٣"]))


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picked=st.lists(values, max_size=8), rules=st.sampled_from([RULES, POINTS]))
def test_any_form_is_read_or_refused_never_crashes(app, picked, rules):
    """Whatever a form holds: a content the rules then check, or a whole refusal; and a
    ballot the method accepts is exactly what ballots.check accepts."""
    if rules.kind == "points":
        form = MultiDict([(f"points-{n + 1}", value) for n, value in enumerate(picked)])
    else:
        form = MultiDict([("project", value) for value in picked])
    with app.test_request_context():
        try:
            content, bad = read_form(rules, form)
        except InvalidBallot as refused:
            assert refused.message
            return
        status = check_form(rules, content, bad)
        assert status_sentence(rules, status)
        method = BudgetBallots()
        try:
            accepted = method.read(rules, form)
        except InvalidBallot as refused:
            assert not status.valid and refused.errors["ballot"] == status_sentence(rules, status)
        else:
            assert status.valid and accepted == content
            text = method.serialise(rules, accepted)
            assert method.deserialise(rules, text) == accepted
            assert method.check_entry({"projects": list(rules.costs)}, {**method.entry(text), "receipt": "R"}, 1) \
                == {"ballot": text, "receipt": "R"}


def test_the_tally_is_the_allocation_with_the_process_lot():
    from plugins.budget.method import Definition

    rules = ballots.BallotRules(kind="approval", costs={1: 60, 2: 50, 3: 40})
    method = BudgetBallots()
    allocation = method.tally(Definition(rules, 100, "greedy", "seed"), ["1", "1.3", "2"], paper=["2.3", "3"])
    # Votes: 1 → 2, 2 → 2, 3 → 3; greedy: 3 (40), then 1 and 2 tie on votes, lowest cost 2 (50): 90.
    assert [sorted(rules.costs)[i] for i in allocation.funded] == [3, 2]
    assert allocation.cost == 90


def test_sealed_ballots_have_one_length_per_process(app, place):
    process = new_process(place.commune, max_choices=None, min_choices=0)
    with app.test_request_context():
        for person, content in zip(place.residents, ({1: 1}, {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, {})):
            casting.cast(db.session.get(Process, process.id), content, user_id=person.id)
    lengths = {len(bytes(row)) for row in db.session.scalars(sa.select(SealedBallot.sealed))}
    assert len(lengths) == 1
    assert sorted(opened_texts(process.id).values()) == ["-", "1", "1.2.3.4.5"]


def test_the_close_writes_the_ballots_out_and_asks_for_the_result(app, place):
    from convergence import hooks

    process = new_process(place.commune, max_choices=None)
    asked = []

    def receiver(sender, **kwargs):
        asked.append((sender.id, kwargs["method"], kwargs["asked_by"]))

    hooks.ballot_box_closed.connect(receiver)
    try:
        with app.test_request_context():
            cast = {}
            for person, content in zip(place.residents, ({1: 1}, {2: 1, 3: 1}, {5: 1})):
                receipt = casting.cast(db.session.get(Process, process.id), content, user_id=person.id)
                cast[receipt] = ballots.serialise(content, "approval")
            db.session.expire_all()
            locked = db.session.get(Process, process.id)
            old = status.close_now(locked)
            db.session.commit()
            status.close_announced(locked, old)
    finally:
        hooks.ballot_box_closed.disconnect(receiver)
    assert asked == [(process.id, "budget", ("budget", str(process.id)))]
    db.session.expire_all()
    closed = db.session.get(Process, process.id)
    assert closed.vote_state == "closed" and closed.box.seal_salt is None
    assert counts(process.id) == (3, 0, 3)
    assert dict(db.session.execute(sa.select(Ballot.receipt, Ballot.content)).all()) == cast
    assert sorted(casting.online_ballots(closed)) == sorted(cast.values())
    assert RECEIPT_SHOWN  # the receipt shown once is the register's key


def test_a_first_ballot_takes_few_statements(app, client, place):
    """The hottest path: the user, the process (with its space, box, vote dates and the
    plug-in's switch), the voter's roles, the ballot. On PostgreSQL the ballot is one
    statement in autocommit; elsewhere a few more."""
    process = new_process(place.commune)
    login(client, place.residents[0])
    data = ballot_data(client, process.id, [1, 2])
    with app.test_request_context():
        status.advance(process.id)  # opened: the ballot's projects kept per process
    with count_queries(app) as queries:
        response = client.post(f"/budgets/{process.id}/bulletin", data=data)
    recorded(response)
    statements = [q for q in queries if not q.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]
    limit = 3 if db.engine.dialect.name == "postgresql" else 9
    assert len(statements) <= limit, "\n\n".join(statements)


def test_the_status_line_takes_a_bounded_number_of_queries(app, client, place):
    # Asked at every tick of the ballot page (ballot.js): as few statements with 40
    # projects, 10 of them ticked, as with 5 projects and 2 ticked.
    counts = []
    login(client, place.residents[0])
    for projects, ticked in (([(n, 1000 * n) for n in range(1, 6)], (1, 2)),
                             ([(n, 1000 * n) for n in range(1, 41)], range(1, 11))):
        process = new_process(place.commune, projects=projects, max_choices=10)
        query = "&".join(f"project={n}" for n in ticked)
        client.get(f"/budgets/{process.id}/bulletin/etat?{query}")
        with count_queries(app) as queries:
            answer = client.get(f"/budgets/{process.id}/bulletin/etat?{query}")
        assert answer.status_code == 200 and answer.get_json()["valid"] is True, answer.get_json()
        assert plain(answer.get_json()["sentence"]).startswith("Votre bulletin respecte les règles")
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 6, counts


def test_a_ballot_without_its_form_token_is_refused_and_nothing_is_stored(client, place):
    process = new_process(place.commune)
    login(client, place.residents[0])
    for token in ({}, {"csrf_token": "forged"}):
        response = client.post(f"/budgets/{process.id}/bulletin", data={"project": ["1", "2"], **token})
        assert response.status_code == 400, token
        assert "Le formulaire a expiré" in visible_text(response)
    assert counts(process.id) == (0, 0, 0)
