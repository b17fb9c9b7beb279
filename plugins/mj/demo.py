"""Examples for the French demo (hook ``demo-content``): in the demo's assembly, a vote
open for a week and a vote already closed with its results (online ballots of the
residents and a batch of paper ballots counted in the room). And, for another plug-in's
demo (hook ``demo-ballots``), ballots cast with voting codes in a vote it asked for.

Written through the plug-in's own services, as people would; a ballot is its own
transaction (``ballots.cast`` commits), as is the close, so this commits what the demo
added before it."""

from __future__ import annotations

from flask_babel import gettext as _

from datetime import timedelta

from convergence.extensions import db
from convergence.models.base import utcnow

from . import api, ballots
from .ballots import cast, find_code_id
from .models import Vote

OPEN_QUESTION = "Quels horaires pour la permanence logement ?"
OPEN_OPTIONS = ["Le samedi matin", "Le mercredi en fin de journée", "Le lundi midi"]
CLOSED_QUESTION = "Quel usage pour la friche des Tanneries ?"
CLOSED_OPTIONS = ["Jardin partagé", "Aire de jeux", "Parking"]
# Grades given by residents online, worst first (0 « À rejeter » … 6 « Excellent »), per option.
ONLINE = {
    "amina.benali": (6, 4, 0), "bernard.lefevre": (5, 5, 1), "chloe.martin": (6, 3, 0),
    "daniel.rousseau": (3, 5, 4), "elodie.garnier": (5, 4, 1), "fatou.diallo": (6, 5, 0),
    "gerard.petit": (2, 3, 5),
}
# Paper ballots counted in the room: for each option, how many ballots gave each grade.
PAPER = ((0, 0, 1, 0, 1, 2, 1), (0, 0, 1, 2, 1, 1, 0), (2, 1, 1, 0, 1, 0, 0))


def load(assembly, users) -> list[str]:
    facilitator = users["camille.facilitatrice"]
    now = utcnow()
    api.create_vote(assembly, OPEN_QUESTION, OPEN_OPTIONS, opens_at=now - timedelta(minutes=1),
                    closes_at=now + timedelta(days=7), created_by=facilitator,
                    description="Choisissez avec le cercle Logement le moment de la permanence hebdomadaire.")
    closed = api.create_vote(assembly, CLOSED_QUESTION, CLOSED_OPTIONS, opens_at=now - timedelta(minutes=1),
                             created_by=facilitator,
                             description="Le terrain derrière l'ancienne tannerie revient à la commune.")
    options = [option.id for option in closed.options]
    for local, grades in ONLINE.items():
        ballots.cast(closed, dict(zip(options, grades)), user_id=users[local].id)
    api.add_paper_batch(closed, dict(zip(options, PAPER)), label="Urne de la salle des fêtes",
                        entered_by=facilitator)
    api.close_vote(closed, facilitator)
    return [_("Votes: « %(open)s » open for a week, « %(closed)s » closed with its results "
              "(%(online)d online ballots, %(paper)d on paper).", open=OPEN_QUESTION, closed=CLOSED_QUESTION,
              online=len(ONLINE), paper=sum(PAPER[0]))]


def cast_by_codes(vote_id: int, ballots: list) -> int:
    """The ``demo-ballots`` hook: each (code, {option source id: grade}) cast as the code
    page casts it — the code's participation and the sealed ballot, no person named —
    and committed on its own (``cast`` commits). Returns how many were cast."""
    vote = db.session.get(Vote, vote_id)
    if vote is None:
        return 0
    by_source = {option.source_id: option.id for option in vote.options}
    for code, grades in ballots:
        cast(vote, {by_source[str(source)]: grade for source, grade in grades.items()},
             code_id=find_code_id(vote, code))
    return len(ballots)
