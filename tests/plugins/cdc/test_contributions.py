"""From a commune to the meeting (issue 11, item 6): a facilitator of Vaucouleurs sends a
proposal adopted by its assembly to the Commercy meeting's declaration, as a contribution
or as an amendment in the name of its delegation; the link shows on both pages; every
refusal says why in French, with its 4xx, and writes nothing; a replay sends nothing twice."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import AuditEntry, Commune, User
from convergence.models.drafting import Amendment
from convergence.participation.models import Link
from plugins.cdc import tabling
from plugins.cdc.declaration_models import Contribution, Declaration, DeclarationAmendment
from plugins.cdc.models import Delegation
from plugins.proposals import drafting
from plugins.proposals.models import Proposal
from tests.fixtures import browser_fields, login, visible_text

from .conftest import Place, build

TEXT = "# L'eau\n\nL'eau est un commun.\n\n# Le logement\n\nNul ne dort dehors."
BODY = "La commune garantit à chacun vingt litres d'eau gratuits par jour."


@dataclass
class Sending:
    place: Place
    declaration: Declaration
    commune: Commune
    facilitator: User
    resident: User
    proposal: Proposal

    @property
    def choose(self) -> str:
        return f"/propositions/{self.proposal.id}/rencontres"

    @property
    def form(self) -> str:
        return f"/rencontres/{self.place.meeting.id}/declaration/contributions/{self.proposal.id}"

    @property
    def proposal_page(self) -> str:
        return f"/propositions/{self.proposal.id}"

    @property
    def declaration_page(self) -> str:
        return f"/rencontres/{self.place.meeting.id}/declaration"


def setup(app, make, place: Place, *, status: str = "adopted", opened: bool = True) -> Sending:
    commune = place.neighbour
    assembly = make.assembly(commune, "Assemblée populaire de Vaucouleurs")
    facilitator, resident = make.user("Facilitatrice de Vaucouleurs"), make.user("Habitant de Vaucouleurs")
    make.role(facilitator, "facilitator", commune=commune)
    make.role(resident, "resident", commune=commune)
    with app.test_request_context():
        declaration = tabling.start(place.meeting, place.organiser, "Déclaration de Commercy", TEXT)
        if opened:
            tabling.open_to_amendments(declaration)
        proposal = drafting.create(assembly, resident, "L'eau gratuite", BODY)
        proposal.status = status
        db.session.commit()
    return Sending(place, declaration, commune, facilitator, resident, proposal)


def with_delegation(s: Sending) -> Delegation:
    delegation = Delegation(meeting_id=s.place.meeting.id, status="registered", checkin_token="tok-vaucouleurs",
                            collective_name="Délégation de Vaucouleurs", kind="collective", people_count=3,
                            commune_id=s.commune.id, registered_by_id=s.resident.id)
    db.session.add(delegation)
    db.session.commit()
    return delegation


def send(client, s: Sending, **data):
    fields = {"kind": "contribution", "summary": "Adoptée le 12 janvier.", "amendment_kind": "add",
              "article": "1", "text": BODY, **data}
    return client.post(s.form, data={**fields, **browser_fields(client, s.form)})


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def nothing_written(amendments_before: int = 0) -> None:
    assert count(Contribution) == 0
    assert count(DeclarationAmendment) == amendments_before
    assert count(Link) == 0
    assert db.session.scalar(db.select(AuditEntry.id).where(AuditEntry.action == "cdc.declaration.contribution")) \
        is None


@pytest.fixture
def sending(app, make, place):
    return setup(app, make, place)


def test_a_facilitator_sends_a_contribution_and_both_pages_link(app, client, sending):
    s = sending
    login(client, s.facilitator)
    page = client.get(s.proposal_page)
    assert page.status_code == 200
    assert "Envoyer à une rencontre" in visible_text(page)
    assert f'href="{s.choose}"' in page.get_data(as_text=True)
    chooser = client.get(s.choose)
    assert chooser.status_code == 200
    assert "Commune des Communes" in visible_text(chooser)
    assert f'href="{s.form}"' in chooser.get_data(as_text=True)
    form = client.get(s.form)
    assert form.status_code == 200 and "vingt litres d&#39;eau gratuits" in form.get_data(as_text=True)
    assert "n’a pas de délégation inscrite" in visible_text(form)

    response = send(client, s)
    assert response.status_code == 303
    (row,) = db.session.scalars(db.select(Contribution)).all()
    assert (row.kind, row.proposal_id, row.commune_id, row.amendment_id) == ("contribution", s.proposal.id,
                                                                            s.commune.id, None)
    assert row.title == "L'eau gratuite" and row.summary == "Adoptée le 12 janvier." and row.sent_by_id == s.facilitator.id
    assert response.headers["Location"].endswith(f"/rencontres/{s.place.meeting.id}/declaration#contribution-{row.id}")
    (link,) = db.session.scalars(db.select(Link)).all()
    assert {link.source_id, link.target_id} == {s.proposal.subject_id, row.subject_id}
    journals = set(db.session.scalars(db.select(AuditEntry.commune_id)
                                      .where(AuditEntry.action == "cdc.declaration.contribution")))
    assert journals == {s.place.commune.id, s.commune.id}
    from plugins.cdc.hooks import user_data

    exported = user_data(s.facilitator)["cdc_contributions_sent"]
    assert [(e["proposal_id"], e["kind"], e["title"]) for e in exported] == [(s.proposal.id, "contribution",
                                                                              "L'eau gratuite")]

    # The declaration, read by anyone: the commune, the proposal's title, a link back.
    public = app.test_client().get(s.declaration_page)
    html, text = public.get_data(as_text=True), visible_text(public)
    assert "Contributions des communes" in text
    assert "Vaucouleurs" in text and "proposition adoptée par Vaucouleurs" in text
    assert f'id="contribution-{row.id}"' in html and f'href="/propositions/{s.proposal.id}"' in html
    # The proposal's page: « envoyée à » the meeting, with a link to the contribution.
    back = app.test_client().get(s.proposal_page)
    assert "Envoyée à « Commune des Communes » comme contribution" in visible_text(back)
    assert f'/rencontres/{s.place.meeting.id}/declaration#contribution-{row.id}"' in back.get_data(as_text=True)
    assert "Envoyer à une rencontre" not in visible_text(back)  # anonymous: no button


def test_an_amendment_goes_through_tabling_in_the_delegation_s_name(app, client, sending):
    s = sending
    delegation = with_delegation(s)
    login(client, s.facilitator)
    assert "délégation « Délégation de Vaucouleurs »" in visible_text(client.get(s.form))
    response = send(client, s, kind="amendment", amendment_kind="modify", article="1",
                    text="L'eau est un commun, gratuite pour vingt litres par jour.", summary="")
    assert response.status_code == 303
    (row,) = db.session.scalars(db.select(Contribution)).all()
    amendment = db.session.get(DeclarationAmendment, row.amendment_id)
    assert (row.kind, amendment.number, amendment.kind, amendment.delegation_id) == ("amendment", 1, "modify",
                                                                                   delegation.id)
    assert amendment.article.number == 1
    core = db.session.get(Amendment, amendment.amendment_id)
    assert core.new_text == "L'eau est un commun, gratuite pour vingt litres par jour."
    assert core.original_text == "L'eau est un commun." and core.author_id == s.facilitator.id
    assert " ".join(core.explanation.split()) == "Proposition « L'eau gratuite » adoptée par Vaucouleurs."
    assert response.headers["Location"].endswith("/declaration#A1")
    public = app.test_client().get(s.declaration_page)
    html, text = public.get_data(as_text=True), visible_text(public)
    assert "Amendement A1 · Délégation de Vaucouleurs" in text
    assert "déposée comme amendement A1" in text and "proposition adoptée par Vaucouleurs" in text
    assert html.count(f'href="/propositions/{s.proposal.id}"') == 2  # in the list and on the amendment
    back = app.test_client().get(s.proposal_page)
    assert "Envoyée à « Commune des Communes » comme amendement A1" in visible_text(back)
    assert f'/rencontres/{s.place.meeting.id}/declaration#A1"' in back.get_data(as_text=True)


def test_an_added_article_at_the_start(app, client, sending):
    s = sending
    with_delegation(s)
    login(client, s.facilitator)
    assert send(client, s, kind="amendment", amendment_kind="add", article="0").status_code == 303
    amendment = db.session.scalar(db.select(DeclarationAmendment))
    assert (amendment.kind, amendment.article_id, amendment.amendment.new_text) == ("add", None, BODY)


def test_replaying_the_form_sends_nothing_twice(app, client, sending):
    s = sending
    with_delegation(s)
    login(client, s.facilitator)
    data = {"kind": "amendment", "summary": "", "amendment_kind": "add", "article": "2", "text": BODY,
            **browser_fields(client, s.form)}
    first = client.post(s.form, data=data)
    again = client.post(s.form, data=data)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert count(Contribution) == 1 and count(DeclarationAmendment) == 1 and count(Link) == 1


def test_sending_the_same_proposal_again_is_refused(app, client, sending):
    s = sending
    login(client, s.facilitator)
    assert send(client, s).status_code == 303
    again = send(client, s, summary="Une seconde fois")
    assert again.status_code == 409
    assert "déjà été envoyée à « Commune des Communes »" in visible_text(again)
    assert "Une seconde fois" in again.get_data(as_text=True)  # what was typed, kept
    assert count(Contribution) == 1 and count(Link) == 1
    # The chooser says it is there already, with the link to it.
    chooser = client.get(s.choose)
    assert "déjà envoyée" in visible_text(chooser) and f'href="{s.form}"' not in chooser.get_data(as_text=True)


def test_an_amendment_without_a_registered_delegation_is_refused(app, client, sending):
    s = sending
    login(client, s.facilitator)
    refused = send(client, s, kind="amendment", amendment_kind="modify", article="1", text="Autre texte.")
    assert refused.status_code == 409
    assert "Vaucouleurs n’a pas de délégation inscrite à « Commune des Communes »" in visible_text(refused)
    assert "doit d’abord inscrire une délégation" in visible_text(refused)
    assert "Autre texte." in refused.get_data(as_text=True)
    nothing_written()
    # A delegation on the waiting list is not registered either.
    waiting = with_delegation(s)
    waiting.status = "waiting"
    db.session.commit()
    assert send(client, s, kind="amendment", amendment_kind="modify", article="1", text="Autre.").status_code == 409
    nothing_written()


def test_an_article_of_another_declaration_is_refused(app, client, make, sending):
    s = sending
    with_delegation(s)
    other = build(make)  # another meeting whose declaration has four articles
    with app.test_request_context():
        tabling.start(other.meeting, other.organiser, "Autre", TEXT + "\n\nQuatrième article.")
        db.session.commit()
    login(client, s.facilitator)
    refused = send(client, s, kind="amendment", amendment_kind="modify", article="4", text="Nouveau texte.")
    assert refused.status_code == 422
    assert "Il n’y a pas d’article 4." in visible_text(refused)
    nothing_written()


def test_a_proposal_not_adopted_is_refused(app, client, make, place):
    s = setup(app, make, place, status="submitted")
    login(client, s.facilitator)
    page = client.get(s.proposal_page)
    assert page.status_code == 200 and "Envoyer à une rencontre" not in visible_text(page)
    for response in (client.get(s.choose), client.get(s.form), send(client, s)):
        assert response.status_code == 409
        assert "Seule une proposition adoptée par son assemblée peut être envoyée à une rencontre." in \
            visible_text(response)
    nothing_written()


def test_someone_who_does_not_facilitate_the_commune_is_refused(app, sending):
    s = sending
    # A resident of the commune, and the meeting's organiser (a facilitator of Commercy only).
    for user in (s.resident, s.place.organiser):
        client = app.test_client()
        login(client, user)
        page = client.get(s.proposal_page)
        assert page.status_code == 200 and "Envoyer à une rencontre" not in visible_text(page)
        for response in (client.get(s.choose), client.get(s.form), send(client, s)):
            assert response.status_code == 403
            assert "Seul un facilitateur de Vaucouleurs peut envoyer ses propositions à une rencontre." in \
                visible_text(response)
        nothing_written()
    anonymous = app.test_client().get(s.form)
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]


@pytest.mark.parametrize("state", ["draft", "voting", "adopted"])
def test_a_declaration_not_open_to_amendments_is_refused(app, client, sending, state):
    s = sending
    declaration = db.session.get(Declaration, s.declaration.id)
    declaration.state = state
    db.session.commit()
    login(client, s.facilitator)
    page = client.get(s.proposal_page)
    assert "Envoyer à une rencontre" not in visible_text(page)  # no open declaration anywhere
    assert f'href="{s.form}"' not in client.get(s.choose).get_data(as_text=True)
    for response in (client.get(s.form), send(client, s)):
        assert response.status_code == 409
        expected = ("pas encore ouverte aux amendements" if state == "draft"
                    else "Le temps du dépôt des amendements est passé.")
        assert expected in visible_text(response)
    nothing_written()


def test_unknown_proposal_or_meeting_is_a_404(app, client, sending):
    s = sending
    login(client, s.facilitator)
    assert client.get(f"/propositions/{s.proposal.id + 999}/rencontres").status_code == 404
    assert client.get(f"/rencontres/{s.place.meeting.id}/declaration/contributions/{s.proposal.id + 999}"
                      ).status_code == 404
    assert client.get(f"/rencontres/{s.place.meeting.id + 999}/declaration/contributions/{s.proposal.id}"
                      ).status_code == 404


@pytest.fixture
def sending_for_hypothesis(app, make):
    place = build(make)
    s = setup(app, make, place)
    with_delegation(s)
    client = app.test_client()
    login(client, s.facilitator)
    return s, client


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["contribution", "amendment", "", "autre"]),
       amendment_kind=st.sampled_from(["modify", "add", "", "x"]),
       article=st.one_of(st.sampled_from(["0", "1", "2", "3", "99", "-1", "", "1e3", "٣"]), st.text(max_size=8)),
       text=st.text(max_size=60), summary=st.text(max_size=60))
def test_any_input_is_sent_once_or_refused_in_words(sending_for_hypothesis, kind, amendment_kind, article, text,
                                                    summary):
    s, client = sending_for_hypothesis
    response = send(client, s, kind=kind, amendment_kind=amendment_kind, article=article, text=text,
                    summary=summary)
    sent = db.session.scalars(db.select(Contribution)).all()
    if response.status_code == 303:
        assert len(sent) == 1 and sent[0].kind == kind
        assert (sent[0].amendment_id is not None) == (kind == "amendment")
        db.session.execute(db.delete(Link))
        db.session.execute(db.delete(Contribution))
        db.session.execute(db.delete(DeclarationAmendment))
        db.session.commit()
    else:
        # 400: characters the site refuses in any form (its own French page).
        assert response.status_code in (400, 409, 422)
        assert ("Requête incorrecte" if response.status_code == 400 else "Erreur") in visible_text(response)
        assert sent == [] and count(DeclarationAmendment) == 0 and count(Link) == 0


def test_two_sendings_at_once_meet_on_the_unique_key(app, client, sending, monkeypatch):
    """SQLite takes no row lock: when the check before sending misses the other copy, the
    database's unique key refuses the second one, in words, with nothing written."""
    from plugins.cdc import contributions

    s = sending
    with_delegation(s)
    login(client, s.facilitator)
    assert send(client, s).status_code == 303
    monkeypatch.setattr(contributions, "already_sent", lambda *_args: None)
    raced = send(client, s, kind="amendment", amendment_kind="add", article="1")
    assert raced.status_code == 409
    assert "déjà été envoyée à « Commune des Communes »" in visible_text(raced)
    assert count(Contribution) == 1 and count(DeclarationAmendment) == 0 and count(Link) == 1


def test_a_meeting_with_cdc_switched_off_is_not_offered(app, client, sending):
    from convergence import features

    s = sending
    with app.test_request_context():
        others = features.active_plugin_names(s.place.assembly) - {"cdc"}
        features.switch(s.place.assembly, others)
        db.session.commit()
    login(client, s.facilitator)
    assert "Envoyer à une rencontre" not in visible_text(client.get(s.proposal_page))
    assert "Aucune déclaration de rencontre n’est ouverte aux amendements" in visible_text(client.get(s.choose))
    assert client.get(s.form).status_code == 404
    assert send(client, s).status_code == 404
    nothing_written()
