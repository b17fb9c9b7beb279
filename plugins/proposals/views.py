"""Pages of the proposal-drafting plug-in. Every action is a plain form (no JavaScript
needed); pages run a bounded number of queries whatever the number of proposals."""

from __future__ import annotations

import math
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_utc
from flask_login import current_user, login_required

from convergence.extensions import db
from convergence.loaders import assembly_or_404
from convergence.models import Assembly, Circle, User
from convergence.permissions import can, require
from convergence.features import is_active
from convergence.web import replay
from convergence.web.csv_export import csv_response
from convergence.web.errors import abort_with, render_error
from convergence.web.forms import require_confirmed_post
from convergence.web.links import absolute_url
from convergence.web.inputs import whole_number, within_calendar

from convergence.drafting import diff, versions as drafts
from convergence.drafting.paragraphs import paragraphs
from convergence.models import Amendment, ConsentAnswer, Document
from convergence.participation import comments, history

from . import amendments, consent, drafting, needs_links, supports, voting
from .models import ANSWERS, AUTHOR_ACTIVE, ROUND_ASYNC, ROUND_LIVE, STATUSES, TO_CIRCLE, Proposal, ProposalRound
from .refusal import Refused

bp = Blueprint("proposals", __name__, template_folder="templates", static_folder="static",
               static_url_path="/propositions/static")

PER_PAGE = 30
SORTS = ("recent", "supports", "comments")


@bp.errorhandler(Refused)
def refused(error: Refused):
    db.session.rollback()
    return render_error(error.status, error.message)


# -- loading ----------------------------------------------------------------------------

def _assembly(assembly_id: int) -> Assembly:
    assembly = assembly_or_404(assembly_id)
    if not is_active(assembly, "proposals"):
        abort(404)
    return assembly


def _proposal(proposal_id: int) -> Proposal:
    proposal = db.session.scalar(
        db.select(Proposal).where(Proposal.id == proposal_id)
        .options(db.joinedload(Proposal.assembly).joinedload(Assembly.commune), db.joinedload(Proposal.circle)))
    if proposal is None or not is_active(proposal.assembly, "proposals"):
        abort(404)
    return proposal


def _for_post(proposal_id: int) -> Proposal:
    proposal = _proposal(proposal_id)
    require_confirmed_post()
    return proposal


def _comment(proposal: Proposal, comment_id: int):
    """A comment on this proposal, else 404."""
    comment = comments.of_subject(proposal.subject_id, comment_id)
    if comment is None:
        abort(404)
    return comment


def _of(proposal: Proposal, model, item_id: int):
    """A consent round of this proposal, else 404."""
    item = db.session.get(model, item_id)
    if item is None or item.proposal_id != proposal.id:
        abort(404)
    return item


def _amendment(proposal: Proposal, amendment_id: int) -> Amendment:
    """An amendment of this proposal's text, else 404."""
    amendment = db.session.get(Amendment, amendment_id)
    if amendment is None or amendment.document_id != proposal.document_id:
        abort(404)
    return amendment


def _back(proposal: Proposal, anchor: str = ""):
    return redirect(url_for("proposals.show", proposal_id=proposal.id) + anchor)


def _labels() -> dict:
    return {"status_labels": drafting.STATUS_LABELS, "amendment_labels": amendments.STATE_LABELS,
            "answer_labels": consent.ANSWER_LABELS, "outcome_labels": consent.OUTCOME_LABELS,
            "clock_outcome": consent.clock_outcome}


# -- list -------------------------------------------------------------------------------

def list_query(assembly_id: int, *, status: str = "", circle: str = "", q: str = "", sort: str = "recent"):
    query = db.select(Proposal).where(Proposal.assembly_id == assembly_id)
    if status in STATUSES:
        query = query.where(Proposal.status == status)
    else:  # drafts and withdrawn proposals are listed only when asked for
        query = query.where(Proposal.status.not_in(("draft", "withdrawn")))
    circle_id = whole_number(circle)
    if circle_id is not None:
        query = query.where(Proposal.circle_id == circle_id)
    if q:
        query = query.where(Proposal.title.ilike("%" + q.replace("\\", "").replace("%", "").replace("_", "\\_")
                                                 + "%", escape="\\"))
    order = {"supports": (Proposal.supports_count.desc(), Proposal.id.desc()),
             "comments": (Proposal.comments_count.desc(), Proposal.id.desc())}.get(sort, (Proposal.id.desc(),))
    return query, order


@bp.route("/assemblees/<int:assembly_id>/propositions")
def index(assembly_id):
    assembly = _assembly(assembly_id)
    args = request.args
    filters = {"status": args.get("status", ""), "circle": args.get("circle", ""),
               "q": " ".join(args.get("q", "").split())[:100], "sort": args.get("sort", "recent")}
    if filters["sort"] not in SORTS:
        filters["sort"] = "recent"
    page = whole_number(args.get("page"), low=1) or 1
    query, order = list_query(assembly.id, **filters)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    proposals = db.session.scalars(query.options(db.joinedload(Proposal.circle)).order_by(*order)
                                   .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    circles = db.session.scalars(db.select(Circle).where(Circle.commune_id == assembly.commune_id)
                                 .order_by(Circle.name)).all()
    facilitate = can("proposals.facilitate", assembly)
    return render_template("proposals/index.html", assembly=assembly, proposals=proposals, total=total,
                           page=page, pages=max(math.ceil(total / PER_PAGE), 1), filters=filters,
                           circles=circles, statuses=STATUSES, threshold=supports.threshold(assembly),
                           facilitate=facilitate, can_vote=facilitate and voting.available(assembly),
                           **_labels())


@bp.route("/assemblees/<int:assembly_id>/propositions/nouvelle", methods=["GET", "POST"])
@login_required
def new(assembly_id):
    assembly = _assembly(assembly_id)
    require("proposals.create", assembly)
    form, error = request.form, None
    if request.method == "POST":
        require_confirmed_post()
        try:
            circle = drafting.circle_of(assembly, form.get("circle_id"))
            needs = needs_links.parse(assembly.commune_id, form.get("needs"))
            proposal = drafting.create(assembly, current_user, form.get("title"), form.get("body"), circle)
            needs_links.link(proposal, needs)
            replay.claim(url_for("proposals.show", proposal_id=proposal.id))
            db.session.commit()
        except Refused as refusal:
            db.session.rollback()
            error = refusal.message
        else:
            flash(_("Your draft is saved. Invite co-authors, then open it to discussion."), "success")
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    circles = db.session.scalars(db.select(Circle).where(Circle.commune_id == assembly.commune_id)
                                 .order_by(Circle.name)).all()
    return render_template("proposals/new.html", assembly=assembly, form=form, error=error, circles=circles,
                           needs_enabled=needs_links.available()), (422 if error else 200)


# -- one proposal -----------------------------------------------------------------------

@bp.route("/propositions/<int:proposal_id>")
def show(proposal_id):
    proposal = _proposal(proposal_id)
    rounds = consent.rounds(proposal)  # past its deadline, a round reads as closed (the worker records it)
    user = current_user if current_user.is_authenticated else None
    mine = {}
    if user is not None and rounds:
        mine = {a.round_id: a for r in rounds for a in r.answers if a.user_id == user.id}
    authors = drafting.authors(proposal)
    proposal._author_states = {a.user_id: a.state for a in authors}  # the rules' question, answered
    amendment_list = amendments.for_proposal(proposal)
    votes = voting.outcomes(voting.SOURCE_PROPOSAL, proposal.id)
    for amendment in amendment_list:
        if amendment.state in ("pending", "rejected"):
            votes += voting.outcomes(voting.SOURCE_AMENDMENT, amendment.id)
    return render_template(
        "proposals/show.html", assembly=proposal.assembly, proposal=proposal, authors=authors,
        active_authors=[a for a in authors if a.state == AUTHOR_ACTIVE],
        pending_authors=[a for a in authors if a.state != AUTHOR_ACTIVE],
        history=history.of(proposal.subject_id), amendments=amendment_list,
        threads=comments.threads(proposal.subject_id),
        rounds=rounds, open_round=rounds[0] if rounds and consent.is_open(rounds[0]) else None,
        my_answers=mine, counts=consent.counts, answers=ANSWERS,
        supported=user is not None and supports.has_supported(proposal, user),
        threshold=supports.threshold(proposal.assembly), paragraphs=paragraphs(proposal.body),
        needs=needs_links.linked(proposal), votes=votes, facilitate=can("proposals.facilitate", proposal.assembly),
        moderate=can("participation.moderate", proposal), **_labels())


@bp.route("/propositions/<int:proposal_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(proposal_id):
    proposal = _proposal(proposal_id)
    require("proposals.edit", proposal)
    form = request.form if request.method == "POST" else {
        "title": proposal.title, "body": proposal.body, "base_version": proposal.version}
    conflict = None
    if request.method == "POST":
        require_confirmed_post()
        try:
            version = drafting.save_version(proposal, current_user, form.get("base_version"), form.get("title"),
                                            form.get("body"), note=form.get("note", "").strip())
            replay.claim(url_for("proposals.show", proposal_id=proposal.id))
            db.session.commit()
        except drafting.Conflict as refusal:
            base = drafting.version(proposal, refusal.base)
            # Their changes (base → current) and, below, the text they tried to save, kept.
            conflict = {"message": refusal.message, "base": refusal.base, "current": proposal.version,
                        "pieces": diff.diff(base.body if base else "", proposal.body),
                        "title_changed": base is not None and base.title != proposal.title}
            return render_template("proposals/edit.html", assembly=proposal.assembly, proposal=proposal,
                                   form=form, conflict=conflict, error=None), 409
        except Refused as refusal:
            db.session.rollback()
            return render_template("proposals/edit.html", assembly=proposal.assembly, proposal=proposal,
                                   form=form, conflict=None, error=refusal.message), refusal.status
        flash(_("Version %(n)d saved.", n=version.number), "success")
        return _back(proposal)
    return render_template("proposals/edit.html", assembly=proposal.assembly, proposal=proposal, form=form,
                           conflict=None, error=None)


@bp.route("/propositions/<int:proposal_id>/versions")
def versions(proposal_id):
    proposal = _proposal(proposal_id)
    rows = drafts.history(proposal.document)
    by_number = {v.number: v for v in rows}
    newest = rows[0].number
    raw_from, raw_to = request.args.get("de", ""), request.args.get("a", "")
    to = whole_number(raw_to) if raw_to else newest
    from_ = whole_number(raw_from) if raw_from else max((to or newest) - 1, 1)
    if from_ not in by_number or to not in by_number:
        abort_with(404, _("This version does not exist."))
    pieces = diff.diff(by_number[from_].body, by_number[to].body)
    return render_template("proposals/versions.html", assembly=proposal.assembly, proposal=proposal,
                           versions=rows, from_=by_number[from_], to=by_number[to], pieces=pieces,
                           title_pieces=diff.diff(by_number[from_].title, by_number[to].title),
                           summary=diff.changed_words(pieces))


@bp.route("/propositions/<int:proposal_id>/statut", methods=["POST"])
@login_required
def set_status(proposal_id):
    proposal = _for_post(proposal_id)
    if proposal.is_final:
        raise Refused(_("This proposal is closed: its status can no longer change."), 409)
    facilitator = can("proposals.facilitate", proposal.assembly)
    if not (facilitator or can("proposals.author", proposal)):
        require("proposals.facilitate", proposal.assembly)
    drafting.set_status(proposal, request.form.get("status", ""), current_user,
                        reason=request.form.get("reason"), facilitator=facilitator,
                        submitted_to=request.form.get("submitted_to"))
    db.session.commit()
    flash(_("The status is now « %(status)s ».", status=drafting.STATUS_LABELS[proposal.status]), "success")
    return _back(proposal)


@bp.route("/propositions/<int:proposal_id>/ordre-du-jour", methods=["POST"])
@login_required
def to_agenda(proposal_id):
    proposal = _for_post(proposal_id)
    require("proposals.facilitate", proposal.assembly)
    if proposal.is_final or proposal.status == "draft":
        raise Refused(_("Only a proposal in discussion or submitted can be put on the agenda."), 409)
    replay.claim(url_for("proposals.show", proposal_id=proposal.id))
    supports.put_on_agenda(proposal, current_user, reason=_("Put on the agenda by the facilitators"))
    db.session.commit()
    flash(_("The proposal is on the assembly's agenda."), "success")
    return _back(proposal)


# -- co-authors -------------------------------------------------------------------------

@bp.route("/propositions/<int:proposal_id>/auteurs/inviter", methods=["POST"])
@login_required
def invite_author(proposal_id):
    proposal = _for_post(proposal_id)
    require("proposals.author", proposal)
    email = request.form.get("email", "").strip().lower()
    user = db.session.scalar(db.select(User).where(db.func.lower(User.email) == email)) if email else None
    if user is None or not can("assembly.participate", proposal.assembly, user=user):
        raise Refused(_("No participant of this assembly has this e-mail address."))
    replay.claim(url_for("proposals.show", proposal_id=proposal.id) + "#auteurs")
    drafting.invite(proposal, user)
    db.session.commit()
    flash(_("%(name)s is invited to co-write the proposal.", name=user.display_name), "success")
    return _back(proposal, "#auteurs")


@bp.route("/propositions/<int:proposal_id>/auteurs/rejoindre", methods=["POST"])
@login_required
def ask_to_join(proposal_id):
    proposal = _for_post(proposal_id)
    require("proposals.join", proposal)
    replay.claim(url_for("proposals.show", proposal_id=proposal.id) + "#auteurs")
    row = drafting.ask_to_join(proposal, current_user)
    db.session.commit()
    flash(_("You are now a co-author.") if row.state == AUTHOR_ACTIVE
          else _("Your request has been sent to the authors."), "success")
    return _back(proposal, "#auteurs")


@bp.route("/propositions/<int:proposal_id>/auteurs/<int:user_id>/<action>", methods=["POST"])
@login_required
def author_decision(proposal_id, user_id, action):
    proposal = _for_post(proposal_id)
    own = user_id == current_user.id
    if action == "accepter":
        if not own:
            require("proposals.author", proposal)
        drafting.accept_author(proposal, user_id, by_author=not own)
        message = _("The co-author has joined the proposal.")
    elif action == "retirer":
        if not own:
            require("proposals.author", proposal)
        drafting.leave_or_decline(proposal, user_id)
        message = _("Done.")
    else:
        abort(404)
    db.session.commit()
    flash(message, "success")
    return _back(proposal, "#auteurs")


# -- amendments -------------------------------------------------------------------------

@bp.route("/propositions/<int:proposal_id>/amendements/nouveau", methods=["GET", "POST"])
@login_required
def amend(proposal_id):
    proposal = _proposal(proposal_id)
    require("proposals.amend", proposal)
    parts = paragraphs(proposal.body)
    form, error = request.form, None
    if request.method == "POST":
        require_confirmed_post()
        try:
            if str(form.get("base_version")) != str(proposal.version):
                raise Refused(_("The text has changed since you opened the form (now version %(n)d). "
                                "Check the current text and propose your amendment again.",
                                n=proposal.version), 409)
            amendment = amendments.propose(proposal, current_user, form.get("paragraph"), form.get("new_text"),
                                           form.get("explanation"))
            db.session.flush()
            replay.claim(url_for("proposals.show", proposal_id=proposal.id) + f"#amendement-{amendment.id}")
            db.session.commit()
        except Refused as refusal:
            db.session.rollback()
            error, status = refusal.message, refusal.status
        else:
            flash(_("Amendment #%(n)d proposed to the authors.", n=amendment.id), "success")
            return _back(proposal, f"#amendement-{amendment.id}")
    else:
        raw = request.args.get("paragraphe", "")
        index = whole_number(raw, high=len(parts) - 1)
        form = {"paragraph": "" if index is None else str(index),
                "new_text": proposal.body if index is None else parts[index]}
    return render_template("proposals/amend.html", assembly=proposal.assembly, proposal=proposal, parts=parts,
                           form=form, error=error), (status if error else 200)


@bp.route("/propositions/<int:proposal_id>/amendements/<int:amendment_id>/<action>", methods=["POST"])
@login_required
def amendment_decision(proposal_id, amendment_id, action):
    proposal = _for_post(proposal_id)
    amendment = _amendment(proposal, amendment_id)
    if action in ("accepter", "rejeter"):
        require("proposals.author", proposal)
        if action == "accepter":
            amendments.accept(amendment, current_user)
            message = _("Amendment accepted: the text has a new version.")
        else:
            amendments.reject(amendment, current_user, request.form.get("reason"))
            message = _("Amendment rejected.")
    elif action in ("retirer", "assemblee"):
        if amendment.author_id != current_user.id:
            abort(403)
        if action == "retirer":
            amendments.withdraw(amendment, current_user)
            message = _("Amendment withdrawn.")
        else:
            amendments.put_to_assembly(amendment)
            message = _("The amendment will be put to the assembly.")
    else:
        abort(404)
    db.session.commit()
    flash(message, "success")
    return _back(proposal, f"#amendement-{amendment.id}")


# -- supports ---------------------------------------------------------------------------

def _already(proposal: Proposal, already: supports.AlreadySet):
    """A second press of the same button: the proposal's page says how things stand."""
    db.session.rollback()
    flash(already.message, "info")
    return _back(proposal)


@bp.route("/propositions/<int:proposal_id>/soutien", methods=["POST"])
@login_required
def support(proposal_id):
    proposal = _for_post(proposal_id)
    require("proposals.support", proposal)
    try:
        reached = supports.add(proposal, current_user)
    except supports.AlreadySet as already:
        return _already(proposal, already)
    db.session.commit()
    flash(_("Your support has been counted.") + (" " + _("The threshold is reached: the proposal is on the "
                                                           "assembly's agenda.") if reached else ""), "success")
    return _back(proposal)


@bp.route("/propositions/<int:proposal_id>/soutien/retrait", methods=["POST"])
@login_required
def withdraw_support(proposal_id):
    proposal = _for_post(proposal_id)
    require("proposals.support", proposal)
    try:
        supports.withdraw(proposal, current_user)
    except supports.AlreadySet as already:
        return _already(proposal, already)
    db.session.commit()
    flash(_("Your support has been withdrawn."), "success")
    return _back(proposal)


# -- comments and moderation ------------------------------------------------------------

@bp.route("/propositions/<int:proposal_id>/commentaires", methods=["POST"])
@login_required
def comment(proposal_id):
    proposal = _for_post(proposal_id)
    require("proposals.comment", proposal)
    posted = comments.add(proposal.subject_id, current_user, request.form.get("body"), request.form.get("parent_id"))
    db.session.flush()
    replay.claim(url_for("proposals.show", proposal_id=proposal.id) + f"#commentaire-{posted.id}")
    db.session.commit()
    return _back(proposal, f"#commentaire-{posted.id}")


@bp.route("/propositions/<int:proposal_id>/commentaires/<int:comment_id>/signalement", methods=["POST"])
@login_required
def report_comment(proposal_id, comment_id):
    proposal = _for_post(proposal_id)
    require("proposals.comment", proposal)
    replay.claim(url_for("proposals.show", proposal_id=proposal.id) + f"#commentaire-{comment_id}")
    comments.report(_comment(proposal, comment_id), current_user, request.form.get("reason"))
    db.session.commit()
    flash(_("Thank you: the facilitators will look at this comment."), "success")
    return _back(proposal, f"#commentaire-{comment_id}")


@bp.route("/propositions/<int:proposal_id>/commentaires/<int:comment_id>/moderation", methods=["POST"])
@login_required
def moderate_comment(proposal_id, comment_id):
    proposal = _for_post(proposal_id)
    require("participation.moderate", proposal)
    comments.moderate(_comment(proposal, comment_id), current_user, request.form.get("action", ""),
                      request.form.get("reason"))
    db.session.commit()
    flash(_("The moderation is recorded in the log."), "success")
    return redirect(request.form.get("next") == "moderation"
                    and url_for("proposals.moderation", assembly_id=proposal.assembly_id)
                    or url_for("proposals.show", proposal_id=proposal.id) + f"#commentaire-{comment_id}")


@bp.route("/assemblees/<int:assembly_id>/propositions/moderation")
def moderation(assembly_id):
    assembly = _assembly(assembly_id)
    facilitate = can("proposals.facilitate", assembly)
    subjects = db.select(Proposal.subject_id).where(Proposal.assembly_id == assembly.id)
    queue = comments.reported(subjects) if facilitate else []
    log = comments.log(subjects)
    # The proposal of each comment and log line, for its title and link: one query.
    named = {c.subject_id for c in queue} | {m.subject_id for m in log}
    proposals = {p.subject_id: p for p in db.session.scalars(
        db.select(Proposal).where(Proposal.subject_id.in_(named)))} if named else {}
    return render_template("proposals/moderation.html", assembly=assembly, facilitate=facilitate,
                           queue=[(c, proposals[c.subject_id]) for c in queue],
                           reasons=comments.report_reasons([c.id for c in queue]), log=log, proposals=proposals)


# -- consent rounds ---------------------------------------------------------------------

def _local_datetime(raw: str) -> datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = None
    if not within_calendar(moment):
        raise Refused(_("The deadline is not a valid date and time."))
    return to_utc(moment)


@bp.route("/propositions/<int:proposal_id>/consentement", methods=["POST"])
@login_required
def open_round(proposal_id):
    proposal = _for_post(proposal_id)
    submitted_to = request.form.get("submitted_to") or proposal.submitted_to
    # The circle's facilitators open rounds on what this round submits to their circle.
    by_circle = proposal.status == "discussion" and submitted_to == TO_CIRCLE and proposal.circle is not None \
        and can("circle.facilitate", proposal.circle)
    if not by_circle:
        require("proposals.run_round", proposal)
    previous = consent.rounds(proposal)
    if previous and consent.settle(previous[0]):  # past its deadline: closed before the next one opens
        proposal = _for_post(proposal_id)
    mode = request.form.get("mode", ROUND_LIVE)
    # Before the round: a copy sent at the same instant stops here, not on the round's number.
    replay.claim(url_for("proposals.show", proposal_id=proposal.id) + "#consentement")
    round_ = consent.open_round(proposal, current_user, mode,
                                _local_datetime(request.form.get("deadline")) if mode == ROUND_ASYNC else None,
                                submitted_to)
    db.session.commit()
    consent.announce(proposal, consent.EVENT_OPENED, round_)
    flash(_("Consent round %(n)d is open.", n=round_.number), "success")
    return _back(proposal, "#consentement")


@bp.route("/propositions/<int:proposal_id>/consentement/<int:round_id>/reponse", methods=["POST"])
@login_required
def answer_round(proposal_id, round_id):
    proposal = _for_post(proposal_id)
    round_ = _of(proposal, ProposalRound, round_id)
    consent.settle(round_)
    if not consent.is_open(round_):  # said before any question of rights: the round is over
        raise Refused(_("This consent round is closed: answers are no longer taken."), 409)
    require("proposals.answer", proposal)
    consent.answer(round_, current_user, request.form.get("answer", ""), request.form.get("reason"))
    db.session.commit()
    consent.announce(proposal, consent.EVENT_ANSWER, round_)
    flash(_("Your answer is recorded. You may change it until the round closes."), "success")
    return _back(proposal, "#consentement")


@bp.route("/propositions/<int:proposal_id>/consentement/<int:round_id>/cloture", methods=["POST"])
@login_required
def close_round(proposal_id, round_id):
    proposal = _for_post(proposal_id)
    round_ = _of(proposal, ProposalRound, round_id)
    require("proposals.run_round", proposal)
    outcome = consent.close(round_, current_user, proposal)
    db.session.commit()
    consent.announce(proposal, consent.EVENT_CLOSED, round_)
    flash(str(consent.OUTCOME_LABELS[outcome]), "success")
    return _back(proposal, "#consentement")


@bp.route("/propositions/<int:proposal_id>/consentement/<int:round_id>/objections/<int:answer_id>",
          methods=["POST"])
@login_required
def resolve_objection(proposal_id, round_id, answer_id):
    proposal = _for_post(proposal_id)
    round_ = _of(proposal, ProposalRound, round_id)
    row = db.session.get(ConsentAnswer, answer_id)
    if row is None or row.round_id != round_.id:
        abort(404)
    if row.user_id != current_user.id:
        require("proposals.run_round", proposal)
    consent.resolve(row, current_user, request.form.get("resolution"))
    db.session.commit()
    consent.announce(proposal, consent.EVENT_ANSWER, round_)
    flash(_("The treatment of the objection is recorded."), "success")
    return _back(proposal, "#consentement")


# -- settings and majority judgment -----------------------------------------------------

@bp.route("/assemblees/<int:assembly_id>/propositions/reglages", methods=["POST"])
@login_required
def settings(assembly_id):
    assembly = _assembly(assembly_id)
    require_confirmed_post()
    require("proposals.facilitate", assembly)
    value = supports.set_threshold(assembly, request.form.get("support_threshold"))
    db.session.commit()
    flash(_("Support threshold: %(n)d.", n=value), "success")
    return redirect(url_for("proposals.index", assembly_id=assembly.id))


@bp.route("/assemblees/<int:assembly_id>/propositions/vote", methods=["GET", "POST"])
@login_required
def to_vote(assembly_id):
    assembly = _assembly(assembly_id)
    require("proposals.facilitate", assembly)
    if not voting.available(assembly):
        abort_with(404, _("Majority-judgment votes are not enabled in this assembly."))
    error, form = None, request.form
    # The choices shown ticked: those sent back with an error, or those named in the link.
    chosen = form if request.method == "POST" else request.args
    if request.method == "POST":
        require_confirmed_post()
        try:
            vote = voting.send(assembly, current_user, form.get("question"), form.getlist("proposal"),
                               form.getlist("amendment"))
            url = voting.vote_url(vote)
            replay.claim(url)
            db.session.commit()
        except Refused as refusal:
            db.session.rollback()
            error = refusal.message
        else:
            flash(_("The vote is created: open it when the assembly is ready."), "success")
            return redirect(url)
    proposals = voting.candidates(assembly)
    return render_template("proposals/to_vote.html", assembly=assembly, proposals=proposals, form=form,
                           amendments=voting.amendment_candidates(assembly), error=error, label=voting.amendment_label,
                           selected={key: set(chosen.getlist(key)) for key in ("proposal", "amendment")}), \
        (422 if error else 200)


@bp.route("/assemblees/<int:assembly_id>/propositions/vote/<int:vote_id>/appliquer", methods=["POST"])
@login_required
def apply_vote(assembly_id, vote_id):
    assembly = _assembly(assembly_id)
    require_confirmed_post()
    require("proposals.facilitate", assembly)
    winner, _changed = voting.apply(vote_id, current_user, assembly)
    db.session.commit()
    flash(_("The result is applied: « %(winner)s » comes first.", winner=winner), "success")
    back = whole_number(request.form.get("proposal_id"))
    if back is not None:
        return redirect(url_for("proposals.show", proposal_id=back))
    return redirect(url_for("proposals.index", assembly_id=assembly.id))


@bp.route("/assemblees/<int:assembly_id>/propositions/export.csv")
def export_csv(assembly_id):
    """Open data: every proposal past the draft stage, its status and its counts."""
    assembly = _assembly(assembly_id)
    rows = db.session.execute(
        db.select(Proposal.id, Document.title, Proposal.status, Document.version, Proposal.supports_count,
                  Proposal.comments_count, Circle.name, Proposal.created_at, Proposal.updated_at)
        .join(Document, Document.id == Proposal.document_id).outerjoin(Circle, Circle.id == Proposal.circle_id)
        .where(Proposal.assembly_id == assembly.id, Proposal.status != "draft").order_by(Proposal.id))
    return csv_response(
        ["id", "title", "status", "version", "supports", "comments", "circle", "created_at", "updated_at", "url"],
        ([r[0], r[1], r[2], r[3], r[4], r[5], r[6] or "", r[7].isoformat(timespec="seconds"),
          r[8].isoformat(timespec="seconds"), absolute_url("proposals.show", proposal_id=r[0])]
         for r in rows),
        f"propositions-{assembly.id}.csv")
