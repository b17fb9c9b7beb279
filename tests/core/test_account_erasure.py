"""Erasing an account (right to erasure): nothing personal left in any table, ballots and
participation counts unchanged, contributions kept as « compte supprimé » or deleted as
chosen, the journal without the name, and facilitators limited to their own commune."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.accounts.ratelimit import account_digest
from convergence import audit
from convergence.models import AuditEntry, Circle, Invitation, LoginThrottle, Membership, User
from convergence.models.base import utcnow
from tests.fixtures import PASSWORD, csrf_token, login

NAME, EMAIL = "Zéphyrine Quatrevents", "zephyrine.quatrevents@example.org"


@dataclass
class Scene:
    commune: object
    assembly: object
    person: User
    other: User
    facilitator: User
    vote_id: int
    needs: dict
    proposals: dict
    comments: dict


def account_exists(user) -> bool:
    return db.session.scalar(db.select(User.id).where(User.id == user.id)) is not None


def logout(client):
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})


def cast(client, user, vote_id, grade):
    from plugins.mj.models import Vote

    login(client, user)
    options = [o.id for o in db.session.get(Vote, vote_id).options]
    data = {f"option-{o}": str(grade) for o in options}
    data["csrf_token"] = csrf_token(client, f"/votes/{vote_id}")
    response = client.post(f"/votes/{vote_id}/bulletin", data=data)
    assert response.status_code == 200 and 'class="mj-receipt"' in response.data.decode()
    logout(client)


@pytest.fixture
def scene(app, client, make) -> Scene:
    from plugins.mj import api as mj
    from plugins.needs import api as needs
    from convergence.participation import comments as discussion
    from plugins.needs.models import Category, Need
    from plugins.proposals import amendments, consent, drafting, supports
    from plugins.proposals.models import DISCUSSION

    commune = make.commune("Saint-Efface")
    assembly = make.assembly(commune, "Assemblée d'hiver", status="open")
    person, other, facilitator = make.user(NAME, EMAIL), make.user("Odile"), make.user("Fanny")
    make.role(facilitator, "facilitator", commune=commune)
    make.role(person, "resident", commune=commune)
    make.role(other, "resident", commune=commune)
    circle = Circle(commune_id=commune.id, name="Eau", purpose="L'eau de la commune")
    db.session.add(circle)
    db.session.flush()
    db.session.add(Membership(user_id=person.id, space_id=circle.space_id, role="member"))
    # Journal entries naming her: a legacy one (name only) and a circle decision.
    db.session.add_all([
        AuditEntry(action="role.withdrawn", commune_id=commune.id, target=NAME, details={"role": "elected"}),
        AuditEntry(action="circle.join", commune_id=commune.id, target="Eau",
                   details={"person": NAME, "person_id": person.id, "role": "member"}),
        AuditEntry(action="role.given", commune_id=commune.id, target="Odile",
                   details={"person_id": other.id, "role": "resident"})])
    # A role offered to her address, not yet accepted.
    db.session.add(Invitation(token="offre", space_id=commune.space_id, role="guarantor", email=EMAIL, max_uses=1,
                              expires_at=utcnow().replace(year=utcnow().year + 1)))
    db.session.commit()

    with app.test_request_context():
        needs.ensure_defaults(commune)
        category = db.session.scalar(db.select(Category).where(Category.commune_id == commune.id))
        hers = Need(commune_id=commune.id, category_id=category.id, title="Fuite rue des Lilas",
                    author_id=person.id, show_author=True)
        theirs = Need(commune_id=commune.id, category_id=category.id, title="Banc cassé", author_id=other.id)
        db.session.add_all([hers, theirs])
        db.session.flush()
        needs.add_support(hers, other)
        needs.add_support(theirs, person)
        needs.add_support(theirs, facilitator)
        needs.add_comment(theirs, person, "Je confirme, rue des Lilas.")
        needs.add_comment(hers, other, "Moi aussi je l'ai vue.")

        own = drafting.create(assembly, person, "Une fontaine", "Une fontaine place de l'église.")
        shared = drafting.create(assembly, other, "Un jardin", "Premier paragraphe.\n\nDeuxième paragraphe.")
        shared.status = DISCUSSION
        db.session.flush()
        supports.add(shared, person)
        supports.add(shared, facilitator)
        answered = discussion.add(shared.subject_id, person, "Et l'arrosage ?")
        db.session.flush()
        discussion.add(shared.subject_id, other, "Avec l'eau de pluie.", parent_id=answered.id)
        alone = discussion.add(shared.subject_id, person, "Bonne idée.")
        amendments.propose(shared, person, "0", "Premier paragraphe, revu.", "Plus clair.")
        round_ = consent.open_round(shared, facilitator, "live", None)
        db.session.flush()
        consent.answer(round_, person, "consent", "")
        db.session.commit()
        needs_ids = {"hers": hers.id, "theirs": theirs.id}
        proposal_ids = {"own": own.id, "shared": shared.id}
        comment_ids = {"answered": answered.id, "alone": alone.id}

    vote = mj.create_vote(assembly, "Où mettre la fontaine ?", ["Place", "École"], created_by=facilitator,
                          opens_at=utcnow())
    for user, grade in ((person, 5), (other, 2), (facilitator, 4)):
        cast(client, user, vote.id, grade)
    # A failed login with her address leaves a record.
    client.post("/compte/connexion", data={"email": EMAIL, "password": "pas le bon mot de passe",
                                           "csrf_token": csrf_token(client, "/compte/connexion")})
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginThrottle)
                             .where(LoginThrottle.account_digest == account_digest(EMAIL))) == 1
    return Scene(commune, assembly, person, other, facilitator, vote.id, needs_ids, proposal_ids, comment_ids)


def tally(vote_id: int) -> tuple:
    from plugins.mj.models import Count, Participation, Vote

    counts = db.session.execute(
        db.select(Count.option_id, Count.grade, db.func.sum(Count.count)).where(Count.vote_id == vote_id)
        .group_by(Count.option_id, Count.grade).order_by(Count.option_id, Count.grade)).all()
    participants = db.session.scalar(db.select(db.func.count()).select_from(Participation)
                                     .where(Participation.box_id == db.session.get(Vote, vote_id).box_id))
    return [tuple(int(x) for x in row) for row in counts if row[2]], participants


def everything_stored() -> str:
    """Every value of every table, as text, lower-cased."""
    db.session.remove()
    with db.engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
        rows = [str(tuple(row)) for table in tables
                for row in connection.execute(sa.text(f'SELECT * FROM "{table}"'))]
    return "\n".join(rows).lower()


def assert_nothing_personal_left():
    stored = everything_stored()
    digest = hashlib.sha256(EMAIL.encode()).hexdigest()
    for trace in (EMAIL, NAME.lower(), "zéphyrine", "quatrevents", digest):
        assert trace not in stored, trace


def erase_own(client, scene, choice: str):
    login(client, scene.person)
    page = client.get("/compte/supprimer")
    text = page.data.decode()
    assert page.status_code == 200 and page.headers["Cache-Control"] == "private, no-store"
    # Said beforehand, plug-in by plug-in, with what each choice does.
    for said in ("1 besoin que vous avez signalé", "2 commentaires sur des propositions", "1 amendement",
                 "1 vote auquel vous avez participé", "compte supprimé"):
        assert said in text, said
    token = csrf_token(client, "/compte/supprimer")
    wrong = client.post("/compte/supprimer", data={"csrf_token": token, "contributions": choice,
                                                   "password": "pas le bon"})
    assert wrong.status_code == 422 and account_exists(scene.person)
    unchosen = client.post("/compte/supprimer", data={"csrf_token": token, "password": PASSWORD})
    assert unchosen.status_code == 422 and account_exists(scene.person)
    done = client.post("/compte/supprimer", data={"csrf_token": token, "contributions": choice,
                                                  "password": PASSWORD})
    assert done.status_code == 302
    # The browser that erased is logged out.
    assert client.get("/compte/profil").status_code == 302


@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_a_person_erases_their_account(app, client, scene, choice):
    from convergence.participation.models import Comment
    from plugins.needs.models import Need
    from convergence.models import Amendment, ConsentAnswer
    from plugins.proposals.models import Proposal

    def comments_on(model):
        return db.select(Comment).where(Comment.subject_id.in_(db.select(model.subject_id)))

    before = tally(scene.vote_id)
    erase_own(client, scene, choice)

    assert_nothing_personal_left()
    assert tally(scene.vote_id) == before
    assert before[1] == 3
    # She can no longer log in.
    again = client.post("/compte/connexion", data={"email": EMAIL, "password": PASSWORD,
                                                   "csrf_token": csrf_token(client, "/compte/connexion")})
    assert again.status_code != 302 and "/compte/profil" not in again.data.decode()
    assert db.session.scalar(db.select(db.func.count()).select_from(Membership)) == 2  # Fanny's and Odile's
    assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 0
    # Her supports are withdrawn and the counts follow, in both cases.
    assert db.session.get(Need, scene.needs["theirs"]).supports_count == 1
    shared = db.session.get(Proposal, scene.proposals["shared"])
    assert shared.supports_count == 1
    assert db.session.scalar(db.select(ConsentAnswer.user_id)) is None  # kept, unnamed
    journal = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [e.target for e in journal[:2]] == ["compte supprimé", "Eau"]
    assert journal[1].details == {"person": "compte supprimé", "role": "member"}
    assert journal[2].target == "Odile"  # someone else's entry is left alone
    assert audit.verify(journal[0].commune_id).intact  # the chain still verifies, her name gone
    comments = {c.id: c for c in db.session.scalars(comments_on(Proposal))}
    if choice == "keep":
        hers = db.session.get(Need, scene.needs["hers"])
        assert hers is not None and hers.author_id is None and not hers.show_author and hers.supports_count == 1
        assert len(db.session.scalars(comments_on(Need)).all()) == 2
        assert db.session.get(Proposal, scene.proposals["own"]) is not None
        assert comments[scene.comments["alone"]].body == "Bonne idée." and shared.comments_count == 3
        assert db.session.scalar(db.select(Amendment.author_id)) is None
        page = client.get(f"/propositions/{shared.id}").data.decode()
        assert "compte supprimé" in page
    else:
        assert db.session.get(Need, scene.needs["hers"]) is None
        assert [c.body for c in db.session.scalars(comments_on(Need))] == []
        assert db.session.get(Proposal, scene.proposals["own"]) is None
        assert scene.comments["alone"] not in comments
        emptied = comments[scene.comments["answered"]]
        assert emptied.body == "" and emptied.author_id is None
        assert [c.body for c in comments.values() if c.parent_id == emptied.id] == ["Avec l'eau de pluie."]
        assert shared.comments_count == 2
        assert db.session.scalar(db.select(db.func.count()).select_from(Amendment)) == 0


def erase_member(client, commune, person, choice="keep"):
    url = f"/communes/{commune.slug}/membres/{person.id}/effacer-le-compte"
    page = client.get(url)
    if page.status_code != 200:
        return page
    return client.post(url, data={"csrf_token": csrf_token(client, url), "contributions": choice,
                                  "password": PASSWORD})


def test_a_facilitator_erases_a_member_on_request_journalled_without_the_name(app, client, scene):
    login(client, scene.facilitator)
    members = client.get(f"/communes/{scene.commune.slug}/membres").data.decode()
    assert f"/membres/{scene.person.id}/effacer-le-compte" in members
    done = erase_member(client, scene.commune, scene.person)
    assert done.status_code == 302
    assert not account_exists(scene.person)
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "account.erased"))
    assert entry.actor_id == scene.facilitator.id and entry.commune_id == scene.commune.id
    assert entry.details == {"contributions": "kept"} and entry.target == ""
    assert_nothing_personal_left()
    journal = client.get(f"/communes/{scene.commune.slug}/journal").data.decode()
    assert "account.erased" in journal and "Quatrevents" not in journal


def test_a_facilitator_cannot_erase_someone_outside_their_commune(app, client, make, scene):
    elsewhere = make.commune("Ailleurs")
    stranger = make.user("Ulysse")
    make.role(stranger, "facilitator", commune=elsewhere)
    login(client, stranger)
    for commune in (elsewhere, scene.commune):
        refused = erase_member(client, commune, scene.person)
        assert refused.status_code == 403
        url = f"/communes/{commune.slug}/membres/{scene.person.id}/effacer-le-compte"
        token = csrf_token(client, "/compte/profil")
        posted = client.post(url, data={"csrf_token": token, "contributions": "keep", "password": PASSWORD})
        assert posted.status_code == 403
    assert account_exists(scene.person)
    logout(client)

    # Someone who also has a role elsewhere is erased by a site administrator, not by a facilitator.
    make.role(scene.other, "resident", commune=elsewhere)
    login(client, scene.facilitator)
    assert erase_member(client, scene.commune, scene.other).status_code == 403
    logout(client)
    administrator = make.user("Administratrice", admin=True)
    login(client, administrator)
    assert erase_member(client, scene.commune, scene.other, "delete").status_code == 302
    assert not account_exists(scene.other)
    assert tally(scene.vote_id)[1] == 3



@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contributions=st.one_of(st.text(max_size=20), st.sampled_from(["keep", "delete", "KEEP", ""])),
       password=st.text(max_size=250).filter(lambda text: text != PASSWORD))
def test_any_confirmation_without_the_password_erases_nothing(app, client, make, contributions, password):
    # The fixtures are built once for all the examples: one person, logged in once.
    person = db.session.scalar(db.select(User).where(User.email == "hypothese@example.org"))
    if person is None:
        person = make.user("Hypothèse", "hypothese@example.org")
        login(client, person)
    response = client.post("/compte/supprimer", data={
        "csrf_token": csrf_token(client, "/compte/supprimer"), "contributions": contributions, "password": password})
    assert response.status_code in (400, 422), response.status_code
    assert account_exists(person)
