"""Pages of the majority-judgment plug-in. Every view loads its vote with a bounded
number of queries and answers 404 when the plug-in is switched off in the assembly.

A vote belongs to an assembly or to a thematic circle; the vote pages serve both and
listen to the live channel of the vote's assembly or circle. Circles have no per-circle
plug-in switch."""

from __future__ import annotations

import base64
import json

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from convergence.balloting import InvalidBallot
from convergence.extensions import db
from convergence.invitations.qr import qr_svg
from convergence.loaders import assembly_or_404, circle_or_404
from convergence.models import Assembly, Circle
from convergence.spaces import SpaceRef, space_ref
from convergence.permissions import can, require
from convergence.features import is_active, note_switch, switch_column
from convergence.web import replay
from convergence.web.csv_export import csv_response
from convergence.web.errors import abort_with
from convergence.web.forms import form_status, require_confirmed_post
from convergence.web.inputs import whole_number
from convergence.web.links import absolute_url
from convergence.web.security import NO_STORE, no_store

from . import api, ballots, chain, transactions
from .ballots import MAJORITY_JUDGMENT, sheet_of
from .forms import CodeEntryForm, CodesForm, CsrfForm, RegisterLookupForm, VoteForm, voter_choices
from .models import Code, Participation, PaperBatch, Vote
from .results import compute, scale_of
from .status import CLOSED, DRAFT, OPEN, SCHEDULED, STATUS_LABELS, channel_of, progress, results_visible, sync
from .svg import merit_profile

bp = Blueprint("mj", __name__, template_folder="templates", static_folder="static",
               static_url_path="/mj/static")

# The session keeps the voting code someone typed, until their ballot is cast, never a
# receipt: a signed cookie is readable, and on a shared phone or a kiosk the next person
# would find the previous voter's receipt, and with it their ballot.
CODES_KEY = "mj_codes"


# -- loading ----------------------------------------------------------------------------

def _active_assembly(assembly_id: int) -> Assembly:
    assembly = assembly_or_404(assembly_id)
    if not is_active(assembly, "mj"):
        abort(404)
    return assembly


# The id of the vote's space (its assembly's or its circle's), read in the vote's query.
# Correlated with the vote explicitly: it is also used two levels down, inside the switch's
# subquery, where automatic correlation would not reach the vote.
_VOTE_SPACE_ID = db.func.coalesce(
    db.select(Assembly.space_id).where(Assembly.id == Vote.assembly_id).correlate(Vote).scalar_subquery(),
    db.select(Circle.space_id).where(Circle.id == Vote.circle_id).correlate(Vote).scalar_subquery())


def _active_circle(circle_id: int) -> Circle:
    circle = circle_or_404(circle_id)
    if not is_active(circle, "mj"):
        abort(404)
    return circle


def _vote_query(for_page: bool):
    # Built once: every page, and every ballot cast, runs one of these two. A cast needs
    # neither the options (their ids are kept per process once voting is open) nor the
    # circle (only a circle's members vote casts load it, lazily): fewer columns to read.
    query = (
        db.select(Vote, Code.id, _VOTE_SPACE_ID, switch_column(_VOTE_SPACE_ID, "mj"))
        .where(Vote.id == db.bindparam("vote_id"))
        .outerjoin(Code, db.and_(Code.box_id == Vote.box_id, Code.code == db.bindparam("code")))
        .options(db.joinedload(Vote.assembly))
    )
    if for_page:
        query = query.options(db.joinedload(Vote.circle).joinedload(Circle.commune), db.joinedload(Vote.options))
    return query


_VOTE_FOR_PAGE, _VOTE_FOR_CAST = _vote_query(True), _vote_query(False)


def _vote_or_404(vote_id: int, *, for_page: bool = True) -> Vote:
    # One query for the vote, its assembly or circle (and the circle's commune), (for pages
    # that show them) its options, the id of the voting code kept in the session for this
    # vote, if any, and the plug-in's switch in the vote's assembly or circle.
    code = ballots.normalise_code(_session_map(CODES_KEY).get(str(vote_id)))
    query = _VOTE_FOR_PAGE if for_page else _VOTE_FOR_CAST
    row = db.session.execute(query, {"vote_id": vote_id, "code": code or ""}).unique().one_or_none()
    if row is None:
        abort(404)
    vote, code_id, space_id, switch = row
    space = SpaceRef(space_id, "circle" if vote.circle_id is not None else "assembly", None)
    if not note_switch(space, "mj", switch):
        abort(404)
    vote.__dict__["space_ref"] = space  # the live channel, without loading the space (status.channel_of)
    g.setdefault("mj_code_ids", {})[vote_id] = code_id
    return vote


def _participants(vote: Vote) -> tuple[int, int]:
    """(online ballots, paper ballots) in one query, without reading any ballot."""
    online = db.select(db.func.count(Participation.id)).where(Participation.box_id == vote.box_id).scalar_subquery()
    paper = (db.select(db.func.coalesce(db.func.sum(PaperBatch.ballots), 0))
             .where(PaperBatch.box_id == vote.box_id).scalar_subquery())
    row = db.session.execute(db.select(online, paper)).one()
    return int(row[0]), int(row[1])


def _session_map(key: str) -> dict:
    return session.get(key) or {}


def _remember(key: str, name: str, value: str) -> None:
    values = dict(_session_map(key))
    values[name] = value
    session[key] = values


def _forget_code(vote_id: int) -> None:
    codes = dict(_session_map(CODES_KEY))
    if codes.pop(str(vote_id), None) is not None:
        session[CODES_KEY] = codes


def _session_code_id(vote: Vote) -> int | None:
    known = g.get("mj_code_ids", {})
    if vote.id in known:  # looked up with the vote
        return known[vote.id]
    text = _session_map(CODES_KEY).get(str(vote.id))
    return ballots.find_code_id(vote, text) if text else None


def forget_voting_secrets(*_args, **_kwargs) -> None:
    """Drop voting codes from the session at logout (connected to Flask-Login's signal)."""
    session.pop(CODES_KEY, None)


def _voter(vote: Vote) -> tuple[int | None, int | None] | None:
    """(user_id, code_id) of whoever may vote here now, or None."""
    if vote.voters == "codes":
        code_id = _session_code_id(vote)
        return (None, code_id) if code_id else None
    if current_user.is_authenticated and can("mj.vote.cast", vote):
        return current_user.id, None
    return None


def _refuse_voter(vote: Vote):
    if vote.voters == "codes":
        if request.method == "GET":
            return redirect(url_for("mj.code_entry", vote_id=vote.id))
        abort_with(403, _("Enter your voting code before voting."))
    if not current_user.is_authenticated:
        abort(401)
    if vote.voters == "commune":
        abort_with(403, _("Only members of this commune may vote in it."))
    if vote.circle_id is not None:
        abort_with(403, _("Only members of this circle may vote in it."))
    abort_with(403, _("Only members of this assembly may vote in it."))


# -- assembly level ---------------------------------------------------------------------

@bp.get("/assemblees/<int:assembly_id>/votes")
def index(assembly_id: int):
    assembly = _active_assembly(assembly_id)
    votes = db.session.scalars(
        db.select(Vote).where(Vote.assembly_id == assembly.id).order_by(Vote.id.desc())
    ).all()
    return render_template("mj/index.html", assembly=assembly, votes=votes,
                           status_of=_status_of, labels=STATUS_LABELS)


def _status_of(vote: Vote) -> str:
    from .status import status

    return status(vote)


@bp.route("/assemblees/<int:assembly_id>/votes/nouveau", methods=["GET", "POST"])
@login_required
def create(assembly_id: int):
    return _create(_active_assembly(assembly_id))


# -- circle level -----------------------------------------------------------------------

@bp.get("/cercles/<int:circle_id>/votes")
def circle_index(circle_id: int):
    """The votes of a circle (and, for its facilitators, a link to create one)."""
    circle = _active_circle(circle_id)
    votes = db.session.scalars(
        db.select(Vote).where(Vote.circle_id == circle.id).order_by(Vote.id.desc())
    ).all()
    return render_template("mj/circle_index.html", circle=circle, votes=votes,
                           status_of=_status_of, labels=STATUS_LABELS)


@bp.route("/cercles/<int:circle_id>/votes/nouveau", methods=["GET", "POST"])
@login_required
def circle_create(circle_id: int):
    return _create(_active_circle(circle_id))


def _create(space: Assembly | Circle):
    require("mj.vote.create", space)
    in_circle = space_ref(space).kind == "circle"
    form = VoteForm()
    form.voters.choices = voter_choices(in_circle)
    if form.validate_on_submit():
        opens_at, closes_at = form.schedule()
        try:
            vote = api.create_vote(
                None if in_circle else space, form.question.data, form.option_lines(),
                circle=space if in_circle else None, description=form.description.data or "",
                scale=form.scale.data, custom_grades=form.grade_lines(), voters=form.voters.data,
                live_results=form.live_results.data, opens_at=opens_at, closes_at=closes_at,
                created_by=current_user, commit=False,
            )
        except api.VoteDefinitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            replay.claim(url_for("mj.show", vote_id=vote.id))
            db.session.commit()
            api.announce_created(vote)
            flash(_("The vote has been created."), "success")
            return redirect(url_for("mj.show", vote_id=vote.id))
    return render_template("mj/form.html", assembly=None if in_circle else space,
                           circle=space if in_circle else None, form=form, vote=None), form_status(form)


# -- one vote ---------------------------------------------------------------------------

@bp.get("/votes/<int:vote_id>")
def show(vote_id: int):
    vote = _vote_or_404(vote_id)
    current = sync(vote)
    online, paper = _participants(vote)
    voter = _voter(vote) if current == OPEN else None
    voted = voter is not None and ballots.has_participated(vote, user_id=voter[0], code_id=voter[1])
    return render_template(
        "mj/show.html", vote=vote, assembly=vote.assembly, status=current, labels=STATUS_LABELS,
        online=online, paper=paper, can_vote=voter is not None, voted=voted, scale=scale_of(vote), visible=results_visible(vote),
        manage=can("mj.vote.manage", vote), confirm=CsrfForm(),
    )


@bp.route("/votes/<int:vote_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(vote_id: int):
    vote = _vote_or_404(vote_id)
    require("mj.vote.manage", vote)
    if sync(vote) not in (DRAFT, SCHEDULED):
        abort_with(409, _("A vote can only be changed before it opens."))
    form = VoteForm()
    form.voters.choices = voter_choices(vote.circle_id is not None)
    if not form.is_submitted():
        form.fill_from(vote)
    if form.validate_on_submit():
        opens_at, closes_at = form.schedule()
        try:
            api.update_vote(
                vote, question=form.question.data, description=form.description.data or "",
                options=form.option_lines(), scale=form.scale.data, custom_grades=form.grade_lines(),
                voters=form.voters.data, live_results=form.live_results.data, opens_at=opens_at,
                closes_at=closes_at,
            )
        except api.VoteDefinitionError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("mj.show", vote_id=vote.id))
    return render_template("mj/form.html", assembly=vote.assembly, circle=vote.circle, form=form,
                           vote=vote), form_status(form)


@bp.post("/votes/<int:vote_id>/ouvrir")
@login_required
def open_now(vote_id: int):
    vote = _vote_or_404(vote_id)
    require("mj.vote.manage", vote)
    require_confirmed_post()
    try:
        api.open_vote(vote)
    except api.VoteDefinitionError as error:
        abort_with(409, str(error))
    flash(_("Voting is open."), "success")
    return redirect(url_for("mj.show", vote_id=vote.id))


@bp.post("/votes/<int:vote_id>/fermer")
@login_required
def close_now(vote_id: int):
    vote = _vote_or_404(vote_id)
    require("mj.vote.manage", vote)
    require_confirmed_post()
    try:
        api.close_vote(vote, closed_by=current_user._get_current_object())
    except api.VoteDefinitionError as error:
        abort_with(409, str(error))
    flash(_("Voting is closed. The results and the register of ballots are published."), "success")
    return redirect(url_for("mj.results", vote_id=vote.id))


# -- voting -----------------------------------------------------------------------------

def _read_grades(vote: Vote) -> tuple[dict[int, int], dict[int, str]]:
    """Grades from the form, and an error per option; a stray option id aborts (tampering)."""
    try:
        return MAJORITY_JUDGMENT.read(sheet_of(vote), request.form), {}
    except InvalidBallot as refused:
        if refused.message:
            abort_with(422, str(refused.message))
        # As text: a lazy string would go into the page unescaped.
        return refused.content or {}, {option_id: str(error) for option_id, error in refused.errors.items()}


def _render_ballot(vote, *, grades=None, errors=None, message=None, voted=False, receipt=None, status=200):
    return render_template(
        "mj/ballot.html", vote=vote, assembly=vote.assembly, scale=scale_of(vote), grades=grades or {},
        errors=errors or {}, message=message, voted=voted, receipt=receipt or "", form=CsrfForm(),
    ), status


@bp.route("/votes/<int:vote_id>/bulletin", methods=["GET", "POST"])
def ballot(vote_id: int):
    if request.method == "POST":
        # A first ballot is one atomic statement: no BEGIN/COMMIT round trips (transactions.py).
        transactions.one_statement_at_a_time()
    vote = _vote_or_404(vote_id, for_page=request.method == "GET")
    current = sync(vote)
    if request.method == "GET" and current != OPEN:
        flash(_("This vote is closed.") if current == CLOSED else _("This vote is not open yet."), "info")
        return redirect(url_for("mj.show", vote_id=vote.id))
    voter = _voter(vote)
    if voter is None:
        return _refuse_voter(vote)
    user_id, code_id = voter
    if request.method == "GET":
        return _render_ballot(vote, voted=ballots.has_participated(vote, user_id=user_id, code_id=code_id))

    # The CSRF token was checked before this view by the core's CSRFProtect (every POST of
    # the platform; a ballot without it gets 400, see the tests): not checked twice here.
    if current == CLOSED:
        abort_with(410, _("This vote is closed: ballots are no longer accepted."))
    if current != OPEN:
        abort_with(403, _("This vote is not open yet."))
    grades, errors = _read_grades(vote)
    typed_receipt = request.form.get("receipt", "").strip()
    if errors:
        voted = ballots.has_participated(vote, user_id=user_id, code_id=code_id)
        return _render_ballot(vote, grades=grades, errors=errors, voted=voted, receipt=typed_receipt,
                              message=_("Your ballot was not recorded: give a grade to every option."),
                              status=422)
    if typed_receipt and ballots.normalise_receipt(typed_receipt) is None:
        return _render_ballot(vote, grades=grades, voted=True, receipt=typed_receipt, status=422,
                              message=_("This is not a receipt: a receipt looks like ABCD-EFGH-JKMN."))
    receipt = typed_receipt
    # Read now: the commit below expires the loaded objects, and reloading them costs queries.
    news = (channel_of(vote), vote.id, vote.live_results)
    changed = bool(receipt)
    # The receipt page is drawn from the vote as loaded before the ballot's commit: the few
    # fields it shows cannot have changed, and reloading them would cost a query.
    db.session().expire_on_commit = False
    try:
        if receipt:
            receipt = ballots.change(vote, receipt, grades, user_id=user_id, code_id=code_id)
        else:
            # No "has this person voted?" query first: the unique constraint answers it.
            receipt = ballots.cast(vote, grades, user_id=user_id, code_id=code_id)
    except ballots.BallotError as error:
        if error.reason == "already-voted":
            return _render_ballot(vote, grades=grades, voted=True, status=409, message=_(
                "You have already voted. To change your ballot, give the receipt you received."))
        if error.status == 422:
            return _render_ballot(vote, grades=grades, voted=True, receipt=typed_receipt,
                                  message=str(error.message), status=422)
        abort_with(error.status, str(error.message))
    if code_id is not None:
        _forget_code(news[1])  # the next person on this device types their own code
    progress(*news)
    # The receipt is shown once, in this answer, and kept nowhere the next person on the
    # device could read it: not in the session, not in a URL of the history, not in a cache.
    # Sending the form again is refused as a second ballot.
    response = current_app.make_response(render_template(
        "mj/receipt.html", vote=vote, assembly=vote.assembly, receipt=receipt, changed=changed, status=OPEN))
    response.headers["Cache-Control"] = NO_STORE
    return response


@bp.route("/votes/<int:vote_id>/code", methods=["GET", "POST"])
def code_entry(vote_id: int):
    vote = _vote_or_404(vote_id)
    if vote.voters != "codes":
        abort(404)
    current = sync(vote)
    form = CodeEntryForm()
    typed = request.args.get("c") if request.method == "GET" else None
    if typed is not None or form.validate_on_submit():
        text = typed if typed is not None else form.code.data
        receipt_text = request.form.get("receipt", "").strip() if typed is None else ""
        problem, status = _code_problem(vote, text, receipt_text, current)
        if problem is None:
            code = ballots.find_code(vote, text)
            _remember(CODES_KEY, str(vote.id), code.code)
            if receipt_text:
                # Its holder changes the ballot: the receipt goes into the ballot form they
                # are given here, never into the session.
                g.setdefault("mj_code_ids", {})[vote.id] = code.id
                return _render_ballot(vote, voted=True, receipt=ballots.normalise_receipt(receipt_text))
            return redirect(url_for("mj.ballot", vote_id=vote.id))
        if typed is not None:
            abort_with(status, problem)
        form.code.errors = [problem]
        return render_template("mj/code.html", vote=vote, assembly=vote.assembly, form=form,
                               status=current), status
    return render_template("mj/code.html", vote=vote, assembly=vote.assembly, form=form,
                           status=current), form_status(form)


def _code_problem(vote: Vote, text: str, receipt_text: str, current: str) -> tuple[str | None, int]:
    if current == CLOSED:
        return _("This vote is closed: ballots are no longer accepted."), 410
    code = ballots.find_code(vote, text)
    if code is None:
        return _("This voting code does not exist for this vote. Check what you typed."), 404
    if ballots.code_used(code):
        # Its holder may come back to change the ballot, with the receipt.
        if receipt_text and ballots.receipt_known(vote, receipt_text):
            return None, 200
        return _("This voting code has already been used. If you voted with it, type your receipt "
                 "below to change your ballot."), 410
    return None, 200


# -- results ----------------------------------------------------------------------------

def _results_or_none(vote: Vote):
    return compute(vote) if results_visible(vote) else None


@bp.get("/votes/<int:vote_id>/resultats")
def results(vote_id: int):
    vote = _vote_or_404(vote_id)
    current = sync(vote)
    outcome = _results_or_none(vote)
    online, paper = (outcome.online_ballots, outcome.paper_ballots) if outcome else _participants(vote)
    return render_template(
        "mj/results.html", vote=vote, assembly=vote.assembly, status=current, labels=STATUS_LABELS,
        results=outcome, chart=merit_profile(outcome) if outcome and outcome.ranking else None,
        scale=scale_of(vote), online=online, paper=paper,
    )


@bp.get("/votes/<int:vote_id>/projection")
def projector(vote_id: int):
    vote = _vote_or_404(vote_id)
    current = sync(vote)
    outcome = _results_or_none(vote)
    online, paper = (outcome.online_ballots, outcome.paper_ballots) if outcome else _participants(vote)
    target = (absolute_url("mj.code_entry", vote_id=vote.id) if vote.voters == "codes"
              else absolute_url("mj.ballot", vote_id=vote.id))
    return render_template(
        "mj/projector.html", vote=vote, assembly=vote.assembly, status=current, labels=STATUS_LABELS,
        results=outcome, chart=merit_profile(outcome) if outcome and outcome.ranking else None,
        scale=scale_of(vote), online=online, paper=paper, ballot_url=target,
        ballot_qr=_qr_data_uri(target) if current == OPEN else None,
    )


def _exportable(vote_id: int):
    vote = _vote_or_404(vote_id)
    sync(vote)
    outcome = _results_or_none(vote)
    if outcome is None:
        abort_with(403, _("The results are published when the vote closes."))
    return vote, outcome


@bp.get("/votes/<int:vote_id>/resultats.json")
def results_json(vote_id: int):
    vote, outcome = _exportable(vote_id)
    body = json.dumps(outcome.as_dict(), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="vote-{vote.id}-resultats.json"'})


@bp.get("/votes/<int:vote_id>/resultats.csv")
def results_csv(vote_id: int):
    vote, outcome = _exportable(vote_id)
    labels = [str(label) for label in outcome.scale.labels]
    return csv_response(
        [_("Rank"), _("Option"), _("Majority grade"), _("Ballots")]
        + labels + [_("Online: %(grade)s", grade=g) for g in labels]
        + [_("Paper: %(grade)s", grade=g) for g in labels],
        ([r.rank, r.option.label, r.majority_label, r.total, *r.tally, *r.online, *r.paper]
         for r in outcome.ranking),
        f"vote-{vote.id}-resultats.csv", bom=True)


# -- register (hash chain) --------------------------------------------------------------

@bp.get("/votes/<int:vote_id>/registre")
def register(vote_id: int):
    vote = _vote_or_404(vote_id)
    current = sync(vote)
    form = RegisterLookupForm(request.args)
    found, looked_up = None, False
    if current == CLOSED and form.receipt.data:
        looked_up = True
        found = ballots.find_ballot(vote, form.receipt.data)
    batches = db.session.scalars(
        db.select(PaperBatch).where(PaperBatch.box_id == vote.box_id).order_by(PaperBatch.id)
    ).all() if current == CLOSED else []
    return render_template(
        "mj/register.html", vote=vote, assembly=vote.assembly, status=current, form=form,
        found=found, looked_up=looked_up, decoded=ballots.decode(vote, found.content) if found else None,
        scale=scale_of(vote), genesis=chain.genesis(chain.header(vote)), batches=batches,
    )


@bp.get("/votes/<int:vote_id>/registre.json")
def register_json(vote_id: int):
    vote = _vote_or_404(vote_id)
    if sync(vote) != CLOSED:
        abort_with(403, _("The register of ballots is published when the vote closes."))
    head = chain.header(vote)
    paper = [
        {"batch": b.id, "label": b.label, "ballots": b.ballots,
         "counts": [[sum(c.count for c in b.counts if c.option_id == o.id and c.grade == g)
                     for g in range(vote.n_grades)] for o in vote.options]}
        for b in db.session.scalars(
            db.select(PaperBatch).where(PaperBatch.box_id == vote.box_id)
            .options(db.selectinload(PaperBatch.counts)).order_by(PaperBatch.id))
    ]

    app, vote_id = current_app._get_current_object(), vote.id

    def generate():
        # Streamed: a register of a million ballots never sits in memory. Its own
        # application context (and database session), as the request's is gone by then.
        yield '{"header": ' + json.dumps(head, ensure_ascii=False)
        yield ',\n "genesis": "' + chain.genesis(head) + '"'
        yield ',\n "paper": ' + json.dumps(paper, ensure_ascii=False)
        yield ',\n "entries": ['
        last, count = chain.genesis(head), 0
        with app.app_context():
            for entry in chain.entries(vote_id, head):
                yield ("\n  " if count == 0 else ",\n  ") + json.dumps(entry, separators=(",", ":"))
                last, count = entry["hash"], count + 1
        yield f'\n ],\n "count": {count},\n "head": "{last}"\n}}\n'

    return Response(generate(), mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="vote-{vote.id}-registre.json"'})


# -- in the room: paper ---------------------------------------------------------------

def _qr_data_uri(data: str) -> str:
    # An <img> with a data: URI scales cleanly on paper and needs no inline style.
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data).encode()).decode()


@bp.get("/votes/<int:vote_id>/feuille")
def sheet(vote_id: int):
    vote = _vote_or_404(vote_id)
    copies = min(whole_number(request.args.get("exemplaires"), low=1) or 1, 50)
    return render_template("mj/sheet.html", vote=vote, assembly=vote.assembly, scale=scale_of(vote),
                           copies=copies)


@bp.route("/votes/<int:vote_id>/codes", methods=["GET", "POST"])
@no_store
@login_required
def codes(vote_id: int):
    vote = _vote_or_404(vote_id)
    require("mj.vote.manage", vote)
    if vote.voters != "codes":
        abort(404)
    current = sync(vote)
    form = CodesForm()
    if form.validate_on_submit():
        if current == CLOSED:  # the page no longer shows the form, nor its token
            abort_with(409, _("This vote is closed."))
        replay.claim(url_for("mj.codes", vote_id=vote.id))
        try:
            created = api.create_codes(vote, form.count.data)
        except api.VoteDefinitionError as error:
            abort_with(409, str(error))
        flash(ngettext("%(num)d code has been created.", "%(num)d codes have been created.", len(created)), "success")
        return redirect(url_for("mj.codes", vote_id=vote.id))
    rows = db.session.execute(
        db.select(Code.code, Participation.id)
        .outerjoin(Participation, Participation.code_id == Code.id)
        .where(Code.box_id == vote.box_id).order_by(Code.id)
    ).all()
    return render_template("mj/codes.html", vote=vote, assembly=vote.assembly, form=form, rows=rows,
                           status=current), form_status(form)


@bp.get("/votes/<int:vote_id>/codes/imprimer")
@no_store
@login_required
def codes_print(vote_id: int):
    vote = _vote_or_404(vote_id)
    require("mj.vote.manage", vote)
    if vote.voters != "codes":
        abort(404)
    unused = db.session.scalars(
        db.select(Code.code).outerjoin(Participation, Participation.code_id == Code.id)
        .where(Code.box_id == vote.box_id, Participation.id.is_(None)).order_by(Code.id)
    ).all()
    entry = absolute_url("mj.code_entry", vote_id=vote.id)
    cards = [(code, _qr_data_uri(absolute_url("mj.code_entry", vote_id=vote.id, c=code)))
             for code in unused]
    return render_template("mj/codes_print.html", vote=vote, assembly=vote.assembly, cards=cards, entry=entry)


def _paper_form_counts(vote: Vote) -> tuple[dict[int, list[int]], dict[int, str]]:
    counts, errors = {}, {}
    for option in vote.options:
        row = []
        for grade in range(vote.n_grades):
            raw = request.form.get(f"count-{option.id}-{grade}", "").strip() or "0"
            count = whole_number(raw, high=1_000_000)
            if count is None:
                errors[option.id] = _("Counts are whole numbers from 0 to 1,000,000.")
            row.append(count or 0)
        counts[option.id] = row
    return counts, errors


@bp.route("/votes/<int:vote_id>/depouillement-papier", methods=["GET", "POST"])
@login_required
def paper(vote_id: int):
    vote = _vote_or_404(vote_id)
    require("mj.vote.manage", vote)
    current = sync(vote)
    counts, errors, message, status = {}, {}, None, 200
    if request.method == "POST":
        require_confirmed_post()
        counts, errors = _paper_form_counts(vote)
        if errors:
            message, status = _("The batch was not recorded: correct the counts marked below."), 422
        elif current == CLOSED:  # the page no longer shows the form, nor its token
            message, status = _("This vote is closed: paper ballots can no longer be added."), 410
        else:
            # Consumed with the batch: the same sheet sent twice is counted once.
            replay.claim(url_for("mj.paper", vote_id=vote.id))
            try:
                batch = api.add_paper_batch(vote, counts, label=request.form.get("label", ""),
                                            entered_by=current_user)
            except api.VoteDefinitionError as error:
                db.session.rollback()  # the token too: the corrected batch may be sent
                message, status = str(error), 422 if current != CLOSED else 410
            else:
                flash(ngettext("%(num)d paper ballot has been added to the count.", "%(num)d paper ballots have been added to the count.", batch.ballots), "success")
                return redirect(url_for("mj.paper", vote_id=vote.id))
    batches = db.session.scalars(
        db.select(PaperBatch).where(PaperBatch.box_id == vote.box_id).order_by(PaperBatch.id)
    ).all()
    return render_template(
        "mj/paper.html", vote=vote, assembly=vote.assembly, scale=scale_of(vote), counts=counts,
        errors=errors, message=message, batches=batches, status=current, form=CsrfForm(),
        label=request.form.get("label", ""),
    ), status


@bp.post("/votes/<int:vote_id>/depouillement-papier/<int:batch_id>/supprimer")
@login_required
def paper_delete(vote_id: int, batch_id: int):
    vote = _vote_or_404(vote_id)
    require("mj.vote.manage", vote)
    require_confirmed_post()
    try:
        api.delete_paper_batch(vote, batch_id)
    except api.VoteDefinitionError as error:
        abort_with(409, str(error))
    flash(_("The batch of paper ballots has been withdrawn."), "success")
    return redirect(url_for("mj.paper", vote_id=vote.id))
