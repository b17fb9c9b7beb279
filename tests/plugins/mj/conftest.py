"""Fixtures of the majority-judgment tests: an assembly with a facilitator and members."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext

from convergence.extensions import db
from convergence.models import Assembly, Commune, User
from plugins.mj import api
from plugins.mj.models import Vote
from tests.fixtures import csrf_token


@pytest.fixture(autouse=True)
def no_delayed_announcements():
    """Ids restart in every test: a delayed "new ballots" event must not reach the next one."""
    from plugins.mj.status import cancel_pending

    cancel_pending()
    yield
    cancel_pending()


@dataclass
class Room:
    commune: Commune
    assembly: Assembly
    facilitator: User
    members: list[User] = field(default_factory=list)
    outsider: User | None = None


@pytest.fixture
def room(make) -> Room:
    commune = make.commune("Commune de Belleville")
    assembly = make.assembly(commune, "Assemblée de printemps", status="open")
    facilitator = make.user("Camille")
    make.role(facilitator, "facilitator", assembly=assembly)
    members = []
    for n in range(3):
        member = make.user(f"Membre {n}")
        # Roles in the commune count in its assemblies too.
        make.role(member, "resident", commune=commune) if n % 2 else make.role(member, "resident", assembly=assembly)
        members.append(member)
    return Room(commune, assembly, facilitator, members, make.user("Personne extérieure"))


def new_vote(room: Room, options=("Jardin partagé", "Parking", "Aire de jeux"), **kwargs) -> Vote:
    kwargs.setdefault("opens_at", None)
    vote = api.create_vote(room.assembly, kwargs.pop("question", "Que faire de la friche ?"), list(options),
                           created_by=room.facilitator, **kwargs)
    return vote


def option_ids(vote: Vote) -> list[int]:
    return [o.id for o in db.session.get(Vote, vote.id).options]


def ballot_data(client, vote_id: int, grades: dict[int, int | str], **extra) -> dict:
    data = {f"option-{oid}": str(g) for oid, g in grades.items()}
    data["csrf_token"] = csrf_token(client, f"/votes/{vote_id}")
    data.update(extra)
    return data


def post_ballot(client, vote_id: int, grades: dict[int, int | str], **extra):
    return client.post(f"/votes/{vote_id}/bulletin", data=ballot_data(client, vote_id, grades, **extra))


RECEIPT_SHOWN = re.compile(r'<p class="mj-receipt">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</p>')


def recorded(response) -> str:
    """The receipt of a ballot just recorded: shown once, in the answer to the ballot itself,
    never cached, and kept nowhere else (not in the session)."""
    assert response.status_code == 200, response.data[:2000]
    assert response.headers["Cache-Control"] == "private, no-store"
    found = RECEIPT_SHOWN.search(response.data.decode())
    assert found, response.data[:2000]
    return found.group(1)


def ballots_in_box(vote_id: int) -> dict[str, str]:
    """Receipt -> grades of every ballot of the vote: opened with the server's key while the
    vote is open (what only the close does in the application), as written out after it."""
    from plugins.mj import sealed
    from plugins.mj.models import Ballot, SealedBallot

    vote = db.session.get(Vote, vote_id)
    db.session.refresh(vote)
    rows = db.session.scalars(db.select(SealedBallot.sealed).where(SealedBallot.box_id == vote.box_id)).all()
    found = dict(sealed._opened(vote, rows)) if rows else {}
    found.update(db.session.execute(db.select(Ballot.receipt, Ballot.content).where(Ballot.box_id == vote.box_id)).all())
    return found


def post_action(client, vote_id: int, action: str):
    return client.post(f"/votes/{vote_id}/{action}", data={"csrf_token": csrf_token(client, f"/votes/{vote_id}")})


def says(response, msgid: str, **variables) -> bool:
    """Whether the page shows the message in French (the catalog is complete: test_i18n),
    escaped as the templates write it."""
    from markupsafe import escape

    with force_locale("fr"):
        french = babel_gettext(msgid, **variables)
    return str(escape(french)) in response.data.decode()


def logout(client):
    client.post("/compte/deconnexion", data={"csrf_token": csrf_token(client, "/")})
