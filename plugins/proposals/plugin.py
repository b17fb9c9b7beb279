"""The proposal-drafting plug-in: what it declares to the core."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from convergence.extensions import db
from convergence.models import Amendment, ConsentAnswer
from convergence.plugin_engine import Plugin
from convergence.space_settings import Setting
from convergence.web.links import absolute_url

# Imported here so that the tables are in the metadata as soon as the plug-in loads.
from . import models


class ProposalsPlugin(Plugin):
    name = "proposals"
    title = _l("Proposals")
    description = _l("Write proposals together: versions, amendments, supports, comments and consent rounds.")
    space_settings = (
        Setting("support_threshold", "int", 10, _l("Supports needed to reach the agenda"), low=1, high=100_000),
    )

    def init(self) -> None:
        from .journal import sentences  # its acts told in the journal of decisions
        self.connect_hook("journal-sentences", sentences)
        from . import permissions  # noqa: F401  (registers the rules)

        self.connect_hook("assembly-nav", self._nav)
        self.connect_hook("assembly-panels", self._panels)
        self.connect_hook("agenda-item-kinds", self._agenda_kinds)
        self.connect_hook("exports", self._exports)
        self.connect_hook("user-data", self._user_data)
        self.connect_hook("subject-label", self._subject_labels)
        from . import erasure

        self.connect_hook("account-erasure-summary", erasure.summary)
        self.connect_hook("account-erasing", erasure.erase)
        self.connect_hook("live-events", self._live_events)
        from convergence.hooks import vote_closed

        from .voting import on_vote_closed

        # The votes it asks for bring their result back when they close (a receiver for
        # every app: it checks that the app runs this plug-in).
        vote_closed.connect(on_vote_closed)
        from convergence.hooks import HOOKS

        if "demo-content" in HOOKS:
            from .demo import load

            self.connect_hook("demo-content", load)

    def get_blueprints(self):
        from .views import bp

        return [bp]

    @staticmethod
    def _nav(assembly):
        return [(_l("Proposals"), url_for("proposals.index", assembly_id=assembly.id))]

    @staticmethod
    def _panels(assembly):
        # Proposals with a consent round open, and the latest submitted: one query each.
        in_consent = db.session.scalars(
            db.select(models.Proposal)
            .join(models.ProposalRound, models.ProposalRound.proposal_id == models.Proposal.id)
            .where(models.Proposal.assembly_id == assembly.id, models.ProposalRound.closed_at.is_(None))
            .order_by(models.Proposal.id).limit(10)).all()
        submitted = db.session.scalars(
            db.select(models.Proposal).where(models.Proposal.assembly_id == assembly.id,
                                             models.Proposal.status == models.SUBMITTED)
            .order_by(models.Proposal.updated_at.desc()).limit(5)).all()
        if not (in_consent or submitted):
            return []
        return [Markup(render_template("proposals/_panel.html", assembly=assembly, in_consent=in_consent,
                                       submitted=submitted))]

    @staticmethod
    def _agenda_kinds():
        return [("proposition", _l("Proposal"))]

    @staticmethod
    def _exports(target, kind):
        if kind != "assembly":  # proposals belong to an assembly
            return []
        return [(_l("Proposals (CSV)"), absolute_url("proposals.export_csv", assembly_id=target.id))]

    @staticmethod
    def _user_data(user):
        uid = user.id
        proposals = db.session.execute(
            db.select(models.Proposal.id, models.Proposal.title, models.Author.state)
            .join(models.Author, models.Author.proposal_id == models.Proposal.id)
            .where(models.Author.user_id == uid).order_by(models.Proposal.id)).all()
        amendments = db.session.execute(
            db.select(Amendment.id, models.Proposal.id, Amendment.new_text, Amendment.state)
            .join(models.Proposal, models.Proposal.document_id == Amendment.document_id)
            .where(Amendment.author_id == uid).order_by(Amendment.id)).all()
        from convergence.participation.models import Comment, Support

        supports = db.session.scalars(
            db.select(models.Proposal.id).join(Support, Support.subject_id == models.Proposal.subject_id)
            .where(Support.user_id == uid).order_by(models.Proposal.id)).all()
        comments = db.session.execute(
            db.select(models.Proposal.id, Comment.body, Comment.created_at)
            .join(Comment, Comment.subject_id == models.Proposal.subject_id)
            .where(Comment.author_id == uid).order_by(Comment.id)).all()
        answers = db.session.execute(
            db.select(models.ProposalRound.proposal_id, models.ProposalRound.number, ConsentAnswer.answer,
                      ConsentAnswer.reason)
            .join(models.ProposalRound, models.ProposalRound.id == ConsentAnswer.round_id)
            .where(ConsentAnswer.user_id == uid).order_by(ConsentAnswer.id)).all()
        if not (proposals or amendments or supports or comments or answers):
            return None
        return {
            "proposals_authored": [{"id": i, "title": t, "state": s} for i, t, s in proposals],
            "proposals_amendments": [{"id": i, "proposal_id": p, "text": t, "state": s}
                                     for i, p, t, s in amendments],
            "proposals_supported": list(supports),
            "proposals_comments": [{"proposal_id": p, "body": b, "created_at": c.isoformat()}
                                   for p, b, c in comments],
            "proposals_consent_answers": [{"proposal_id": p, "round": n, "answer": a, "reason": r}
                                          for p, n, a, r in answers],
        }

    @staticmethod
    def _subject_labels(subject_ids):
        rows = db.session.execute(db.select(models.Proposal.subject_id, models.Proposal.id, models.Proposal.title)
                                  .where(models.Proposal.subject_id.in_(subject_ids))).all()
        return {subject_id: (title, url_for("proposals.show", proposal_id=proposal_id))
                for subject_id, proposal_id, title in rows}

    @staticmethod
    def _live_events():
        from .consent import LIVE_EVENTS

        return list(LIVE_EVENTS)
