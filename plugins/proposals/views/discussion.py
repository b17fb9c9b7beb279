"""Around a proposal: supports, comments, reports and moderation (the core's participation
services), and the assembly's moderation page with its public log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db
from convergence.participation import comments
from convergence.participation.handlers import CommentPost
from convergence.participation.refusal import AlreadySet
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.handlers import route

from .. import supports
from ..forms import ModerationForm, ReportForm
from ..models import Proposal
from .base import AssemblyHandler, ProposalPage, bp

# -- supports -------------------------------------------------------------------------------


class SupportButton(ProposalPage):
    permission = "proposals.support"

    def refused(self, refusal: Refused):
        if isinstance(refusal, AlreadySet):  # a second press: the page says how things stand
            flash(refusal.message, "info")
            return self.back()
        return super().refused(refusal)


@route(bp, "/propositions/<int:proposal_id>/soutien", "support", methods=("POST",))
class Support(SupportButton):
    def post(self):
        reached = supports.add(self.proposal, current_user)
        flash(_("Your support has been counted.") + (" " + _("The threshold is reached: the proposal is on the "
                                                               "assembly's agenda.") if reached else ""), "success")
        return self.back()


@route(bp, "/propositions/<int:proposal_id>/soutien/retrait", "withdraw_support", methods=("POST",))
class WithdrawSupport(SupportButton):
    def post(self):
        supports.withdraw(self.proposal, current_user)
        flash(_("Your support has been withdrawn."), "success")
        return self.back()


# -- comments -------------------------------------------------------------------------------

@route(bp, "/propositions/<int:proposal_id>/commentaires", "comment", methods=("POST",))
class Comment(CommentPost, ProposalPage):
    """A comment or a reply; refused, the page shows it again with its message (the core's
    discussion draws the form)."""

    permission = "proposals.comment"

    def post(self):
        posted = self.post_comment(self.proposal.subject_id)
        db.session.flush()
        replay.claim(self.url(f"#commentaire-{posted.id}"))
        return self.back(f"#commentaire-{posted.id}")


class CommentPage(ProposalPage):
    """The proposal's page, about one of its comments (404 when it is another's)."""

    def load(self, proposal_id, comment_id):
        space = super().load(proposal_id)
        self.comment = comments.of_subject(self.proposal.subject_id, comment_id)
        if self.comment is None:
            abort(404)
        self.item_id = comment_id
        return space


@route(bp, "/propositions/<int:proposal_id>/commentaires/<int:comment_id>/signalement", "report_comment",
       methods=("POST",))
class ReportComment(CommentPage):
    permission = "proposals.comment"
    posts = "ReportForm"

    def post(self):
        form = self.form(ReportForm)
        if not form.validate():
            self.refuse_invalid(form)
        replay.claim(self.url(f"#commentaire-{self.comment.id}"))
        comments.report(self.comment, current_user, form.reason.data)
        flash(_("Thank you: the facilitators will look at this comment."), "success")
        return self.back(f"#commentaire-{self.comment.id}")


@route(bp, "/propositions/<int:proposal_id>/commentaires/<int:comment_id>/moderation", "moderate_comment",
       methods=("POST",))
class ModerateComment(CommentPage):
    """Hide a comment (with its reason) or show it again; sent from the proposal's page or
    from the moderation page (``next``), and drawn again there when refused."""

    permission = "participation.moderate"
    posts = "ModerationForm"

    def post(self):
        form = self.form(ModerationForm)
        on_its_page = self._from_moderation_page()
        if not form.validate():
            return self.invalid() if on_its_page else self.refuse_invalid(form)
        with self.refusals_at(form.reason if on_its_page else None):
            comments.moderate(self.comment, current_user, form.action.data or "", form.reason.data)
        flash(_("The moderation is recorded in the log."), "success")
        if on_its_page:
            return redirect(url_for("proposals.moderation", assembly_id=self.proposal.assembly_id))
        return self.back(f"#commentaire-{self.comment.id}")

    def _from_moderation_page(self) -> bool:
        return self.form(ModerationForm).next.data == "moderation"

    def render(self):
        if self._from_moderation_page():
            return moderation_page(self.proposal.assembly, self.form(ModerationForm), self.comment.id)
        return super().render()


# -- the assembly's moderation page ---------------------------------------------------------

def moderation_page(assembly, sent_form=None, sent_comment_id=None):
    facilitate = can("proposals.facilitate", assembly)
    subjects = db.select(Proposal.subject_id).where(Proposal.assembly_id == assembly.id)
    queue = comments.reported(subjects) if facilitate else []
    log = comments.log(subjects)
    # The proposal of each comment and log line, for its title and link: one query.
    named = {c.subject_id for c in queue} | {m.subject_id for m in log}
    proposals = {p.subject_id: p for p in db.session.scalars(
        db.select(Proposal).where(Proposal.subject_id.in_(named)))} if named else {}

    def hide_form(comment_id):
        form = sent_form if comment_id == sent_comment_id else ModerationForm(formdata=None)
        form.reason.id = form.reason.label.field_id = f"hide-{comment_id}"
        form.reason.label.text = _("Reason for hiding")
        return form

    return render_template("proposals/moderation.html", assembly=assembly, facilitate=facilitate,
                           queue=[(c, proposals[c.subject_id]) for c in queue], hide_form=hide_form,
                           reasons=comments.report_reasons([c.id for c in queue]), log=log, proposals=proposals)


@route(bp, "/assemblees/<int:assembly_id>/propositions/moderation", "moderation")
class Moderation(AssemblyHandler):
    def get(self):
        return moderation_page(self.assembly)
