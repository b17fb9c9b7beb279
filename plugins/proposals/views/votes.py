"""Competing proposals or amendments put to a majority-judgment vote (the mj plug-in,
through its API), and a closed vote's result applied by hand."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.web import replay
from convergence.web.errors import abort_with
from convergence.web.handlers import route
from convergence.web.inputs import whole_number

from .. import voting
from ..forms import ApplyVoteForm, VoteForm
from .base import AssemblyHandler, bp, labels


class VotingHandler(AssemblyHandler):
    permission = "proposals.facilitate"

    def check_access(self):
        super().check_access()
        if not voting.available(self.assembly):
            abort_with(404, _("Majority-judgment votes are not enabled in this assembly."))


@route(bp, "/assemblees/<int:assembly_id>/propositions/vote", "to_vote", methods=("GET", "POST"))
class ToVote(VotingHandler):
    posts = "VoteForm"

    def get(self):
        return self.render()

    def post(self):
        form = self.form(VoteForm)
        if not form.validate():
            return self.invalid()
        vote = voting.send(self.assembly, current_user, form.question.data, form.proposal.data,
                           form.amendment.data)
        url = voting.vote_url(vote)
        replay.claim(url)
        flash(_("The vote is created: open it when the assembly is ready."), "success")
        return redirect(url)

    def render(self):
        form = self.form(VoteForm)
        if not form.is_submitted():  # the choices named in the link come ticked
            form.proposal.data, form.amendment.data = request.args.getlist("proposal"), \
                request.args.getlist("amendment")
        return render_template("proposals/to_vote.html", assembly=self.assembly, form=form,
                               proposals=voting.candidates(self.assembly), label=voting.amendment_label,
                               amendments=voting.amendment_candidates(self.assembly),
                               selected={"proposal": set(form.proposal.data or ()),
                                         "amendment": set(form.amendment.data or ())}, **labels())


@route(bp, "/assemblees/<int:assembly_id>/propositions/vote/<int:vote_id>/appliquer", "apply_vote",
       methods=("POST",))
class ApplyVote(VotingHandler):
    """« Appliquer le résultat », for a vote closed before results came back by themselves;
    refused (already applied, a tie …) on the page it was pressed on."""

    posts = "ApplyVoteForm"

    def load(self, assembly_id, vote_id):
        self.vote_id = vote_id
        return super().load(assembly_id)

    def post(self):
        winner, _changed = voting.apply(self.vote_id, current_user, self.assembly)
        flash(_("The result is applied: « %(winner)s » comes first.", winner=winner), "success")
        back = self._proposal_id()
        if back is not None:
            return redirect(url_for("proposals.show", proposal_id=back))
        return redirect(url_for("proposals.index", assembly_id=self.assembly.id))

    def _proposal_id(self):
        return whole_number(self.form(ApplyVoteForm).proposal_id.data)

    def render(self):
        from .proposals import Index, Show

        # The page the button is on: the proposal's (when it is of this assembly), or the list.
        back = self._proposal_id()
        page = Show()
        if back is None or page.load(back) is not self.assembly:
            page = Index()
            page.load(self.assembly.id)
        return page.render()
