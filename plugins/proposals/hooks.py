"""What the proposals plug-in contributes to the core's hooks and signals
(convergence/hooks.py)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from convergence.extensions import db
from convergence.models import Amendment, ConsentAnswer
from convergence.web.links import absolute_url

from . import erasure, models
from .consent import LIVE_EVENTS


def connect(plugin) -> None:
    plugin.connect_hook("assembly-nav", assembly_nav)
    plugin.connect_hook("assembly-panels", assembly_panels)
    plugin.connect_hook("room-display", room_display)
    plugin.connect_hook("agenda-item-kinds", agenda_item_kinds)
    plugin.connect_hook("exports", exports)
    plugin.connect_hook("user-data", user_data)
    plugin.connect_hook("subject-label", subject_labels)
    plugin.connect_hook("account-erasure-summary", erasure.summary)
    plugin.connect_hook("account-erasing", erasure.erase)
    plugin.connect_hook("live-events", live_events)
    from convergence.hooks import HOOKS, vote_closed

    from .voting import on_vote_closed

    # The votes it asks for bring their result back when they close (a receiver for
    # every app: it checks that the app runs this plug-in).
    vote_closed.connect(on_vote_closed)
    if "demo-content" in HOOKS:
        from .demo import load

        plugin.connect_hook("demo-content", load)
    from . import open_now  # home page, « Pour moi », mails, one-tap actions, demo

    open_now.connect(plugin)


def assembly_nav(assembly):
    return [(_l("Proposals"), url_for("proposals.index", assembly_id=assembly.id))]


def assembly_panels(assembly):
    # Proposals with a consent round open, and the latest submitted: one query each.
    from .api import in_consent, recently_submitted

    consenting, submitted = in_consent(assembly), recently_submitted(assembly)
    if not (consenting or submitted):
        return []
    return [Markup(render_template("proposals/_panel.html", assembly=assembly, in_consent=consenting,
                                   submitted=submitted))]


def room_display(assembly, item):
    """The consent rounds open in the assembly, in the room display's large type (one query)."""
    from .api import in_consent

    consenting = in_consent(assembly, limit=3)
    if not consenting:
        return []
    return [Markup(render_template("proposals/_room.html", in_consent=consenting))]


def agenda_item_kinds():
    return [("proposition", _l("Proposal"))]


def exports(target, kind):
    if kind != "assembly":  # proposals belong to an assembly
        return []
    return [(_l("Proposals (CSV)"), absolute_url("proposals.export_csv", assembly_id=target.id))]


def user_data(user):
    from convergence.participation.models import Comment, Support

    uid, Proposal, Author, ProposalRound = user.id, models.Proposal, models.Author, models.ProposalRound
    proposals = db.session.execute(
        db.select(Proposal.id, Proposal.title, Author.state).join(Author, Author.proposal_id == Proposal.id)
        .where(Author.user_id == uid).order_by(Proposal.id)).all()
    amendments = db.session.execute(
        db.select(Amendment.id, Proposal.id, Amendment.new_text, Amendment.state)
        .join(Proposal, Proposal.document_id == Amendment.document_id)
        .where(Amendment.author_id == uid).order_by(Amendment.id)).all()
    supports = db.session.scalars(
        db.select(Proposal.id).join(Support, Support.subject_id == Proposal.subject_id)
        .where(Support.user_id == uid).order_by(Proposal.id)).all()
    comments = db.session.execute(
        db.select(Proposal.id, Comment.body, Comment.created_at)
        .join(Comment, Comment.subject_id == Proposal.subject_id)
        .where(Comment.author_id == uid).order_by(Comment.id)).all()
    answers = db.session.execute(
        db.select(ProposalRound.proposal_id, ProposalRound.number, ConsentAnswer.answer, ConsentAnswer.reason)
        .join(ProposalRound, ProposalRound.id == ConsentAnswer.round_id)
        .where(ConsentAnswer.user_id == uid).order_by(ConsentAnswer.id)).all()
    if not (proposals or amendments or supports or comments or answers):
        return None
    return {
        "proposals_authored": [{"id": i, "title": t, "state": s} for i, t, s in proposals],
        "proposals_amendments": [{"id": i, "proposal_id": p, "text": t, "state": s} for i, p, t, s in amendments],
        "proposals_supported": list(supports),
        "proposals_comments": [{"proposal_id": p, "body": b, "created_at": c.isoformat()} for p, b, c in comments],
        "proposals_consent_answers": [{"proposal_id": p, "round": n, "answer": a, "reason": r}
                                      for p, n, a, r in answers],
    }


def subject_labels(subject_ids):
    Proposal = models.Proposal
    rows = db.session.execute(db.select(Proposal.subject_id, Proposal.id, Proposal.title)
                              .where(Proposal.subject_id.in_(subject_ids))).all()
    return {subject_id: (title, url_for("proposals.show", proposal_id=proposal_id))
            for subject_id, proposal_id, title in rows}


def live_events():
    return list(LIVE_EVENTS)
