"""Casting a budget ballot: the ballot page and its POST (one « Valider mon vote » step,
then the receipt), the live line of the ballot's status (``…/bulletin/etat``, asked by
``static/budget/ballot.js``), and the page where a resident without an account types their
voting code.

A ballot that breaks the rules draws the page again (422) with the same sentence the live
line shows and the choices kept; a vote closed or not open, a second ballot without its
receipt, a wrong receipt: the page again with the message, nothing stored.
"""

from __future__ import annotations

from flask import abort, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence import phases
from convergence.balloting import InvalidBallot, autocommit, receipts
from convergence.balloting.models import BallotBox, VotingCode
from convergence.extensions import db
from convergence.features import note_switch, switch_column
from convergence.models import Commune, Space, driver
from convergence.models.base import utcnow
from convergence.refusal import Refused
from convergence.web.errors import abort_with
from convergence.web.handlers import route
from convergence.web.security import NO_STORE

from .. import casting, projects, roll
from ..method import read_form, check_form, status_sentence
from ..models import NAME, VOTE, Phase, Process, Project
from ..status import CLOSED, OPEN
from . import bp
from .base import ProcessPage

RECEIPT_FIELD = "receipt"


def project_url(process, number: int) -> str:
    # The project page is the projects branch's (/budgets/<id>/projets/<number>).
    return f"/budgets/{process.id}/projets/{number}"


def projects_on_ballot(process) -> list[Project]:
    """The projects on the ballot with their area and category, in one query."""
    return projects.on_ballot(process, with_places=True)


def closed_or_not_open(state: str) -> str:
    if state == CLOSED:
        return _("This vote is closed: ballots are no longer accepted.")
    return _("This vote is not open yet.")


# Casting is the platform's hottest path: one query, run by the driver, reads the process
# with its ballot box, space and commune, the vote's dates, the id of the voting code typed
# on this device and the plug-in's switch in the space (noted for the request flow, which
# then asks no query); its objects are made without the ORM's loading (models/driver.py).
# The texts are for the process page, not the ballot: not read on every cast; nor are who
# made the process and when, nor the commune's description and place.
_VOTING_OBJECTS = driver.Shape(Process, BallotBox, Space, Commune, skip={
    Process: ("description", "description_html", "created_at", "created_by_id"),
    Commune: ("description", "latitude", "longitude", "created_at")})
_VOTING_LINKS = ((0, "box", 1), (0, "space", 2), (2, "commune", 3))
_VOTING_QUERY = driver.Statement.of_select(
    db.select(*_VOTING_OBJECTS.columns, Phase.starts_at, Phase.ends_at, VotingCode.id,
              switch_column(Process.space_id, NAME))
    .select_from(Process)
    .join(BallotBox, BallotBox.id == Process.box_id)
    .join(Space, Space.id == Process.space_id)
    .outerjoin(Commune, Commune.id == Space.commune_id)
    .outerjoin(Phase, db.and_(Phase.process_id == Process.id, Phase.name == VOTE))
    .outerjoin(VotingCode, db.and_(VotingCode.box_id == Process.box_id, VotingCode.code == db.bindparam("code")))
    .where(Process.id == db.bindparam("process_id"))
)


class VotingPage(ProcessPage):
    def load(self, process_id: int, **_more):
        found = driver.rows(_VOTING_QUERY, {"process_id": process_id,
                                            "code": casting.typed_code(process_id) or ""})
        if not found:
            abort(404)
        self.process, _box, space, _commune = _VOTING_OBJECTS.objects(found[0], _VOTING_LINKS)
        starts_at, ends_at, code_id, switch = found[0][_VOTING_OBJECTS.width:]
        if space.kind == "commune":
            # A commune's own space points at its commune: the owner the voting rule asks
            # about (membership), read in the same query.
            space.__dict__.setdefault("_owner", space.commune)
        note_switch(space, NAME, switch)
        g.setdefault("budget_code_ids", {})[process_id] = code_id
        self.state = CLOSED if self.process.vote_state == CLOSED else phases.state_at(starts_at, ends_at, utcnow())
        return self.process.space


@route(bp, "/budgets/<int:process_id>/bulletin", "ballot", methods=("GET", "POST"))
class BallotPage(VotingPage):
    # The ballot writes and commits itself (casting.cast / change): on PostgreSQL a first
    # ballot is one statement in autocommit (convergence/balloting/autocommit.py). Nothing is left to commit.
    commits = False

    def load(self, process_id: int):
        self.voter, self.voted, self.content, self.sentence = None, None, {}, None
        self.receipt_error = None
        if request.method == "POST":
            autocommit.one_statement_at_a_time()
        return super().load(process_id)

    def check_access(self) -> None:
        if request.method != "POST" and self.state != OPEN:
            return  # the page says the vote is not open
        self.voter = casting.voter(self.process)
        if self.voter is not None:
            return
        if self.process.voters == "codes" or (self.process.voters == "both" and not current_user.is_authenticated):
            if request.method == "GET":
                abort(redirect(url_for("budget.code_entry", process_id=self.process.id)))
            abort_with(403, _("Enter your voting code before voting."))
        if not current_user.is_authenticated:
            abort(401)
        abort_with(403, _("Only members of this space may vote in this budget."))

    def get(self):
        return self.render()

    def post(self):
        process = self.process
        rules = casting.rules_of(process)
        try:
            self.content, bad = read_form(rules, request.form)
        except InvalidBallot as forged:
            raise Refused(str(forged.message), 422) from None
        if self.state == CLOSED:
            raise Refused(_("This vote is closed: ballots are no longer accepted."), 410)
        if self.state != OPEN:
            raise Refused(_("This vote is not open yet."), 403)
        status = check_form(rules, self.content, bad)
        typed_receipt = request.form.get(RECEIPT_FIELD, "").strip()
        normalised = receipts.normalise_receipt(typed_receipt) if typed_receipt else None
        if typed_receipt and normalised is None:
            self.voted = True
            self.receipt_error = _("This is not a receipt: a receipt looks like ABCD-EFGH-JKMN.")
        if not status.valid or self.receipt_error:
            self.sentence = status_sentence(rules, status)
            return self.invalid()
        user_id, code_id = self.voter
        autocommit.keep_loaded_objects()
        try:
            if normalised:
                receipt = casting.change(process, normalised, self.content, user_id=user_id, code_id=code_id)
            else:
                receipt = casting.cast(process, self.content, user_id=user_id, code_id=code_id, rules=rules)
        except casting.BallotError as error:
            self.voted = error.reason in ("already-voted", "receipt", "voted-on-paper") or bool(normalised)
            raise
        if code_id is not None:
            casting.forget_code(process.id)  # the next person on this device types their own code
        # Shown once, in this answer, kept nowhere else (not in the session, not in a cache).
        response = current_app.make_response(render_template(
            "budget/ballot_receipt.html", process=process, space=process.space, receipt=receipt,
            changed=bool(normalised), state=OPEN))
        response.headers["Cache-Control"] = NO_STORE
        return response

    def render(self):
        process = self.process
        if self.state == OPEN and self.voted is None and self.voter is not None:
            self.voted = casting.has_participated(process, user_id=self.voter[0], code_id=self.voter[1])
        # Marked on a polling place's register (roll.py): no ballot here, no receipt to ask.
        paper_place = (roll.place_of(process, user_id=self.voter[0], code_id=self.voter[1])
                       if self.voted and self.voter else None)
        rules = casting.rules_of(process)
        if self.sentence is None:
            self.sentence = status_sentence(rules, check_form(rules, self.content))
        return self.page("budget/ballot.html", rules=rules, projects=projects_on_ballot(process),
                         content=self.content, sentence=self.sentence, voted=bool(self.voted),
                         receipt=request.form.get(RECEIPT_FIELD, "") if request.method == "POST" else "",
                         receipt_error=self.receipt_error, state=self.state, project_url=project_url,
                         closed_message=closed_or_not_open(self.state), paper_place=paper_place)


@route(bp, "/budgets/<int:process_id>/bulletin/etat", "ballot_status")
class BallotStatus(VotingPage):
    """The sentence next to « Valider mon vote » for the choices in the query string: the
    same words as a refusal after submitting (the live line, JavaScript)."""

    def get(self):
        rules = casting.rules_of(self.process)
        try:
            content, bad = read_form(rules, request.args)
        except InvalidBallot as forged:
            return jsonify(valid=False, sentence=str(forged.message)), 422
        status = check_form(rules, content, bad)
        return jsonify(valid=status.valid, sentence=status_sentence(rules, status))


@route(bp, "/budgets/<int:process_id>/code", "code_entry", methods=("GET", "POST"))
class CodeEntry(VotingPage):
    def load(self, process_id: int):
        space = super().load(process_id)
        if self.process.voters == "members":
            abort(404)
        return space

    def get(self):
        code = request.args.get("c", "").strip()[:40]
        if not code:
            return self.render()
        return self.enter(code)  # the link of a printed QR code: the code in its address

    def post(self):
        return self.enter(request.form.get("code", "").strip()[:40])

    def enter(self, text: str):
        process = self.process
        self.typed = text
        if self.state == CLOSED:
            raise Refused(_("This vote is closed: ballots are no longer accepted."), 410)
        code = casting.find_code(process, text)
        if code is None:
            raise Refused(_("This voting code does not exist for this vote. Check what you typed."), 404)
        used = roll.voted(process, code_id=code.id)  # online, or at which polling place
        if used is not None and used.place is not None:
            raise Refused(_("This voting code has already been used at the polling place « %(place)s »: one vote "
                            "per person.", place=used.place), 410)
        if used is not None and not casting.receipt_known(process, request.form.get(RECEIPT_FIELD)):
            raise Refused(_("This voting code has already been used. If you voted with it, type your receipt "
                            "below to change your ballot."), 410)
        casting.remember_code(process.id, code.code)
        return redirect(url_for("budget.ballot", process_id=process.id))

    def render(self):
        return self.page("budget/ballot_code.html", typed=getattr(self, "typed", ""),
                         receipt=request.form.get(RECEIPT_FIELD, ""))
