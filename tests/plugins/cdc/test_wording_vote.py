"""The vote between wordings: the committee puts mutually exclusive amendments of one
article to a majority judgment of the delegations (an mj vote, through its api), each
delegation's mandated delegate votes once with its delegation's code, and the close applies
the winning wording — or keeps the current text, or leaves a tie to the committee."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import SpaceFeature
from convergence.models.drafting import AMENDMENT_ACCEPTED, AMENDMENT_PENDING, AMENDMENT_REJECTED
from plugins.cdc import declarations, wording_vote
from plugins.cdc.declaration_models import Article, Declaration, DeclarationAmendment
from plugins.cdc.wording_models import WordingCode, WordingVote
from plugins.mj.models import Code, Vote
from tests.fixtures import browser_fields, journal_acts, login, post_twice, says_replayed, visible_text

from .floor_helpers import delegations
from .test_declaration_outcomes import TEXT, tabled

SET_ASIDE = "Écartée par le vote entre rédactions."


@pytest.fixture(autouse=True)
def no_delayed_announcements():
    """Ids restart in every test: a delayed mj event must not reach the next one."""
    from plugins.mj.status import cancel_pending

    cancel_pending()
    yield
    cancel_pending()


def prepared(app, place):
    """A declaration open to amendments: A1, A2, A3 change article 1, A4 changes article 2."""
    with app.test_request_context():
        declaration = declarations.create(place.meeting, place.organiser, "Déclaration de Commercy", TEXT)
        declaration.state = "amending"
        first, second = declarations.articles(declaration)[:2]
        for number, article, text in ((1, first, "L'eau est un bien commun inaliénable."),
                                      (2, first, "L'eau appartient à celles et ceux qui la boivent."),
                                      (3, first, "L'eau est à tous."),
                                      (4, second, "Sa gestion est municipale.")):
            tabled(declaration, place.visitor, "modify", article, text, number)
        declaration.next_amendment_number = 5
        db.session.commit()
        return declaration.id


def person(app, user):
    client = app.test_client()
    login(client, user)
    return client


def amendment(number: int) -> DeclarationAmendment:
    db.session.expire_all()
    return db.session.scalar(db.select(DeclarationAmendment).where(DeclarationAmendment.number == number))


def article_text(number: int) -> str:
    db.session.expire_all()
    return db.session.scalar(db.select(Article.text).where(Article.number == number))


def post(client, url: str, page: str | None = None, **data):
    return client.post(url, data={**data, **browser_fields(client, page or url)})


def start(client, place, numbers):
    url = f"{place.base}/declaration/redactions"
    return post(client, url, amendments=[str(n) for n in numbers])


def nothing_written():
    assert db.session.scalar(db.select(db.func.count()).select_from(WordingVote)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0
    assert db.session.scalars(db.select(DeclarationAmendment.exclusive_group)).all() == [None] * 4
    assert db.session.scalars(db.select(DeclarationAmendment.mj_vote_id)).all() == [None] * 4


def vote_as(client, place, wording_id: int, grades_by_label: dict[str, int]) -> str:
    """The mandated delegate's way to the ballot, then the ballot; returns the receipt."""
    page = f"{place.base}/declaration/redactions/{wording_id}"
    sent = post(client, f"{page}/bulletin", page)
    assert sent.status_code == 303, sent.data[:1500]
    code_page = sent.headers["Location"]
    assert "/code?c=" in code_page
    to_ballot = client.get(code_page)
    assert to_ballot.status_code == 302 and to_ballot.headers["Location"].endswith("/bulletin")
    vote = db.session.get(Vote, db.session.get(WordingVote, wording_id).mj_vote_id)
    data = {f"option-{o.id}": str(next(g for prefix, g in grades_by_label.items() if o.label.startswith(prefix)))
            for o in vote.options}
    ballot = client.get(to_ballot.headers["Location"])
    assert ballot.status_code == 200
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', ballot.data).group(1).decode()
    answer = client.post(f"/votes/{vote.id}/bulletin", data={**data, "csrf_token": token})
    assert answer.status_code == 200, answer.data[:1500]
    return re.search(r'<p class="mj-receipt">([0-9A-Z-]+)</p>', answer.get_data(as_text=True)).group(1)


# -- pure -----------------------------------------------------------------------------------
@given(st.text(max_size=900))
def test_an_option_label_fits_mj_and_keeps_its_prefix(text):
    made = wording_vote.label("A12", text)
    assert len(made) <= wording_vote.LABEL_MAX
    assert made.startswith("A12")


@given(st.lists(st.sampled_from([1, 2, 3]), min_size=2, max_size=6), st.integers(0, 5))
def test_a_winner_is_the_one_option_ranked_first_with_ballots(ranks, participants):
    ranking = [(rank, "cdc", str(i)) for i, rank in enumerate(ranks)]
    found = wording_vote.winner_of(ranking, participants)
    firsts = [str(i) for i, rank in enumerate(ranks) if rank == 1]
    assert found == (firsts[0] if participants and len(firsts) == 1 else None)


# -- the whole flow -------------------------------------------------------------------------
def test_two_delegations_choose_a_wording_and_the_close_applies_it(app, make, client, place):
    (first, first_head), (second, second_head) = delegations(app, make, place, [1, 3])
    declaration_id = prepared(app, place)
    login(client, place.organiser)
    started = start(client, place, [1, 2])
    assert started.status_code == 303
    wording = db.session.scalar(db.select(WordingVote))
    assert started.headers["Location"].endswith(f"/declaration/redactions/{wording.id}")
    vote = db.session.get(Vote, wording.mj_vote_id)
    assert vote.voters == "codes" and vote.assembly_id == place.assembly.id
    assert (vote.asked_by, vote.asked_ref) == ("cdc", f"wording:{declaration_id}:{wording.exclusive_group}")
    assert [(o.label, o.source_id) for o in vote.options] == [
        ("Texte actuel — L'eau est un commun.", "current"),
        ("A1 — L'eau est un bien commun inaliénable.", str(amendment(1).id)),
        ("A2 — L'eau appartient à celles et ceux qui la boivent.", str(amendment(2).id))]
    assert amendment(1).mj_vote_id == amendment(2).mj_vote_id == vote.id
    assert amendment(1).exclusive_group == amendment(2).exclusive_group == wording.exclusive_group
    assert amendment(3).mj_vote_id is None
    assert db.session.get(Declaration, declaration_id).state == "voting"
    page = visible_text(client.get(f"{place.base}/declaration/redactions/{wording.id}"))
    assert "État : vote ouvert" in page.replace("\u202f", " ")
    # Each wording as a word diff against the current text.
    assert "A2 · Déposé par" in page and "appartient" in page and "boivent" in page and "inaliénable" in page

    # Each mandated delegate votes once for their delegation; A2 is preferred.
    delegate = person(app, first_head)
    wording_page = f"{place.base}/declaration/redactions/{wording.id}"
    assert "Voter pour ma délégation" in visible_text(delegate.get(wording_page))
    assert "Voter pour ma délégation" not in visible_text(person(app, place.resident).get(wording_page))
    vote_as(delegate, place, wording.id, {"Texte": 1, "A1": 3, "A2": 5})
    vote_as(person(app, second_head), place, wording.id, {"Texte": 2, "A1": 2, "A2": 6})
    codes = db.session.execute(db.select(WordingCode.delegation_id, WordingCode.code)).all()
    assert sorted(d for d, _c in codes) == sorted([first.id, second.id])
    assert len({c for _d, c in codes}) == 2
    # Asking again gives the same code back: still one voice per delegation.
    again = post(delegate, f"{place.base}/declaration/redactions/{wording.id}/bulletin",
                 f"{place.base}/declaration/redactions/{wording.id}")
    assert again.headers["Location"].endswith(f"c={dict(codes)[first.id]}")
    assert db.session.scalar(db.select(db.func.count()).select_from(Code).where(Code.box_id == vote.box_id)) == 2

    closed = post(client, f"{place.base}/declaration/redactions/{wording.id}/cloture",
                  f"{place.base}/declaration/redactions/{wording.id}")
    assert closed.status_code == 303
    db.session.expire_all()
    wording = db.session.get(WordingVote, wording.id)
    assert (wording.result, wording.winner_id) == ("amendment", amendment(2).id)
    won, lost = amendment(2), amendment(1)
    assert (won.outcome, won.amendment.state) == ("adopted", AMENDMENT_ACCEPTED)
    assert (lost.outcome, lost.amendment.state, lost.amendment.reason) == ("rejected", AMENDMENT_REJECTED,
                                                                           SET_ASIDE)
    assert amendment(3).outcome is None
    assert article_text(1) == "L'eau appartient à celles et ceux qui la boivent."
    shown = visible_text(client.get(f"{place.base}/declaration"))
    assert "Votes entre rédactions" in shown and "Retenu : amendement A2" in shown.replace("\u202f", " ")
    assert f'href="/votes/{vote.id}"' in client.get(f"{place.base}/declaration").get_data(as_text=True)
    assert "Retenu : amendement A2" in visible_text(client.get(f"{place.base}/declaration/comite")).replace(
        "\u202f", " ")
    acts = journal_acts(client, place.commune, "cdc.wording")
    assert len(acts) == 2 and "A2" in acts[0] and "A1, A2" in acts[1]


def test_when_the_current_text_wins_every_amendment_is_set_aside(app, make, client, place):
    (_d, head), = delegations(app, make, place, [1])
    prepared(app, place)
    login(client, place.organiser)
    assert start(client, place, [1, 2, 3]).status_code == 303
    wording = db.session.scalar(db.select(WordingVote))
    vote_as(person(app, head), place, wording.id, {"Texte": 6, "A1": 1, "A2": 0, "A3": 2})
    post(client, f"{place.base}/declaration/redactions/{wording.id}/cloture",
         f"{place.base}/declaration/redactions/{wording.id}")
    db.session.expire_all()
    assert db.session.get(WordingVote, wording.id).result == "current"
    for n in (1, 2, 3):
        assert (amendment(n).outcome, amendment(n).amendment.reason) == ("rejected", SET_ASIDE)
    assert article_text(1) == "L'eau est un commun."
    assert "Retenu : le texte actuel" in visible_text(client.get(f"{place.base}/declaration")).replace(
        "\u202f", " ")


def test_a_tie_leaves_the_amendments_to_the_committee(app, make, client, place):
    delegations(app, make, place, [1])
    prepared(app, place)
    login(client, place.organiser)
    start(client, place, [1, 2])
    wording = db.session.scalar(db.select(WordingVote))
    # Closed with no ballot: nothing is chosen, nothing changes, and the lock goes.
    post(client, f"{place.base}/declaration/redactions/{wording.id}/cloture",
         f"{place.base}/declaration/redactions/{wording.id}")
    db.session.expire_all()
    assert db.session.get(WordingVote, wording.id).result == "tie"
    assert amendment(1).outcome is None and amendment(1).amendment.state == AMENDMENT_PENDING
    assert article_text(1) == "L'eau est un commun."
    proposed = post(client, f"{place.base}/declaration/amendements/1/procedure", procedure="accept")
    assert proposed.status_code == 303 and amendment(1).procedure == "accept"


# -- refusals -------------------------------------------------------------------------------
@pytest.mark.parametrize("numbers, status, message", [
    ([1], 422, "Choisissez au moins deux amendements du même article."),
    ([1, 4], 422, "Seuls des amendements du même article peuvent s’exclure."),
    ([1, 9], 404, "Il n’y a pas d’amendement A9."),
])
def test_a_wrong_choice_is_refused_and_writes_nothing(app, client, place, numbers, status, message):
    prepared(app, place)
    login(client, place.organiser)
    refused = start(client, place, numbers)
    assert refused.status_code == status
    assert message in visible_text(refused).replace("\u202f", " ")
    nothing_written()


def test_a_decided_amendment_or_an_adopted_text_is_refused(app, client, place):
    declaration_id = prepared(app, place)
    login(client, place.organiser)
    with app.test_request_context():
        from plugins.cdc import outcomes

        outcomes.close(amendment(2), place.organiser, "rejected", "Hors sujet.")
        db.session.commit()
    refused = start(client, place, [1, 2])
    assert refused.status_code == 409 and "L'amendement A2 a déjà été tranché." in visible_text(refused)
    db.session.get(Declaration, declaration_id).state = "adopted"
    db.session.commit()
    refused = client.post(f"{place.base}/declaration/redactions", data={
        "amendments": ["1", "3"], **browser_fields(client, f"{place.base}/declaration/redactions")})
    assert refused.status_code == 409 and "a été adoptée" in visible_text(refused)
    assert db.session.scalar(db.select(db.func.count()).select_from(WordingVote)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 0


def test_votes_switched_off_in_the_assembly_are_said_so(app, client, place):
    prepared(app, place)
    db.session.add(SpaceFeature(space_id=place.assembly.space_id, plugin_name="mj", active=False))
    db.session.commit()
    login(client, place.organiser)
    refused = start(client, place, [1, 2])
    assert refused.status_code == 409 and "jugement majoritaire" in visible_text(refused)
    nothing_written()


def test_only_the_committee_starts_a_vote_between_wordings(app, make, client, place):
    (_d, head), = delegations(app, make, place, [1])
    prepared(app, place)
    delegate = person(app, head)
    url = f"{place.base}/declaration/redactions"
    assert delegate.get(url).status_code == 200  # the list is public
    csrf = browser_fields(delegate, f"{place.base}/declaration")
    assert delegate.post(url, data={"amendments": ["1", "2"], **csrf}).status_code == 403
    nothing_written()


def test_someone_without_a_delegation_gets_no_ballot(app, make, client, place):
    (delegation, head), = delegations(app, make, place, [1])
    prepared(app, place)
    login(client, place.organiser)
    start(client, place, [1, 2])
    wording = db.session.scalar(db.select(WordingVote))
    page = f"{place.base}/declaration/redactions/{wording.id}"
    outsider = person(app, place.resident)
    refused = post(outsider, f"{page}/bulletin", page)
    assert refused.status_code == 403
    assert "Vous ne votez pour aucune délégation inscrite" in visible_text(refused)
    # A member of a delegation who does not hold its mandate is refused too.
    member = make.user("Membre sans mandat")
    from plugins.cdc.models import Member

    db.session.add(Member(delegation_id=delegation.id, name="Membre sans mandat", user_id=member.id, position=9,
                          checkin_token="membre-sans-mandat"))
    db.session.commit()
    refused = post(person(app, member), f"{page}/bulletin", page)
    assert refused.status_code == 403
    assert "Seul·e la ou le délégué·e mandaté·e de votre délégation vote en son nom." in visible_text(refused)
    anonymous = app.test_client()
    assert anonymous.post(f"{page}/bulletin", data=browser_fields(anonymous, page)).status_code == 401
    assert db.session.scalar(db.select(db.func.count()).select_from(WordingCode)) == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(Code)) == 0


def test_an_amendment_in_an_open_vote_is_not_decided_by_hand_nor_the_text_adopted(app, make, client, place):
    (_d, head), = delegations(app, make, place, [1])
    declaration_id = prepared(app, place)
    with app.test_request_context():
        tabled_by_delegation = amendment(1)
        tabled_by_delegation.delegation_id, tabled_by_delegation.procedure = _d.id, "accept"
        db.session.commit()
    login(client, place.organiser)
    start(client, place, [1, 2])
    refused = post(client, f"{place.base}/declaration/amendements/2/procedure", procedure="accept")
    assert refused.status_code == 409
    assert ("L’amendement A2 est soumis à un vote entre rédactions encore ouvert : c’est ce vote qui en décide."
            in visible_text(refused).replace("\u202f", " "))
    assert amendment(2).procedure is None
    # Its delegation's agreement to the committee's procedure would decide it: refused too.
    answered = post(person(app, head), f"{place.base}/declaration/amendements/1/reponse", answer="agreed")
    assert answered.status_code == 409
    assert amendment(1).answer is None and amendment(1).outcome is None
    adoption = f"{place.base}/declaration/adoption"
    refused = post(client, adoption, no_objection="y")
    assert refused.status_code == 409 and "Un vote entre rédactions est encore ouvert" in visible_text(refused)
    assert db.session.get(Declaration, declaration_id).state == "voting"
    # The group cannot be dissolved, nor its amendments put in another vote.
    dissolved = post(client, f"{place.base}/declaration/groupes", dissolve="1")
    assert dissolved.status_code == 409 and amendment(1).exclusive_group == 1
    again = start(client, place, [1, 3])
    assert again.status_code == 409
    assert db.session.scalar(db.select(db.func.count()).select_from(WordingVote)) == 1


def test_the_form_sent_twice_opens_one_vote(app, client, place):
    prepared(app, place)
    login(client, place.organiser)
    url = f"{place.base}/declaration/redactions"
    first, second = post_twice(client, url, url, {"amendments": ["1", "2"]})
    assert first.status_code == 303 and says_replayed(second)
    assert db.session.scalar(db.select(db.func.count()).select_from(WordingVote)) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Vote)) == 1


def test_a_winner_whose_article_changed_meanwhile_is_left_to_the_committee(app, make, client, place):
    (_d, head), = delegations(app, make, place, [1])
    prepared(app, place)
    login(client, place.organiser)
    start(client, place, [1, 2])
    wording = db.session.scalar(db.select(WordingVote))
    vote_as(person(app, head), place, wording.id, {"Texte": 0, "A1": 6, "A2": 1})
    with app.test_request_context():
        from plugins.cdc import outcomes

        outcomes.adopt(amendment(3), place.organiser)  # A3, outside the vote, changes article 1 first
        db.session.commit()
    closed = post(client, f"{place.base}/declaration/redactions/{wording.id}/cloture",
                  f"{place.base}/declaration/redactions/{wording.id}")
    assert closed.status_code == 303
    db.session.expire_all()
    settled = db.session.get(WordingVote, wording.id)
    assert (settled.result, settled.winner_id) == ("unapplied", amendment(1).id)
    assert settled.note.replace("\u202f", " ") == ("L'article 1 a changé depuis que l'amendement A1 a été écrit : "
                                                   "il ne s'applique plus tel quel.")
    assert amendment(1).outcome is None and amendment(2).outcome is None
    assert article_text(1) == "L'eau est à tous."
    shown = visible_text(client.get(f"{place.base}/declaration/redactions/{wording.id}")).replace("\u202f", " ")
    assert "La rédaction retenue n’a pas pu être appliquée" in shown


@pytest.fixture
def committee_for_hypothesis(app, make):
    """One meeting with A1..A4 and the organiser logged in, for every example hypothesis tries."""
    from .conftest import build

    place = build(make)
    prepared(app, place)
    return place, person(app, place.organiser)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.integers(-2, 6).map(str), st.text(max_size=12)), max_size=5))
def test_whatever_is_ticked_opens_one_whole_vote_or_nothing(committee_for_hypothesis, typed):
    place, client = committee_for_hypothesis
    counts = lambda: (db.session.scalar(db.select(db.func.count()).select_from(WordingVote)),  # noqa: E731
                      db.session.scalar(db.select(db.func.count()).select_from(Vote)),
                      db.session.scalar(db.select(db.func.count()).where(DeclarationAmendment.mj_vote_id.is_not(None))))
    before = counts()
    url = f"{place.base}/declaration/redactions"
    response = client.post(url, data={"amendments": typed, **browser_fields(client, url)})
    # 400: the core refuses control characters in any form, before the page.
    assert response.status_code in (303, 400, 404, 409, 422), response.status_code
    after = counts()
    if response.status_code == 303:
        chosen = {int(t) for t in typed}
        assert after == (before[0] + 1, before[1] + 1, before[2] + len(chosen))
    else:
        assert after == before
