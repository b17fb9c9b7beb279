"""From a commune to the meeting: the pages where a commune's facilitator sends an adopted
proposal to a meeting's declaration (service: ``contributions.py``), and the « Envoyer à une
rencontre » button the proposal's page shows through the ``item-actions`` hook."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.handlers import Handler, route

from . import contributions, declarations
from .declaration_forms import AT_START, ContributionForm
from .declaration_views import DeclarationPage
from .views import bp


def item_actions(plugin, item_id, user):
    """The ``item-actions`` hook: on an adopted proposal's page, for a facilitator of its
    commune, while some meeting's declaration is open to amendments."""
    if plugin != "proposals" or user is None:
        return []
    api = contributions.proposals_api()
    proposal = api.get_proposal(item_id) if api is not None else None
    if proposal is None or not api.is_adopted(proposal) or not can("cdc.contribution.send", proposal, user=user):
        return []
    if not contributions.open_declarations():
        return []
    return [(_l("Send to a meeting"), url_for("cdc.contribution_meetings", proposal_id=proposal.id))]


def load_proposal(proposal_id: int):
    api = contributions.proposals_api()
    proposal = api.get_proposal(proposal_id) if api is not None else None
    if proposal is None:
        abort(404)
    return proposal


def check_sender(proposal) -> None:
    """Refused in words: a proposal not adopted, a person who does not facilitate its commune."""
    if not contributions.proposals_api().is_adopted(proposal):
        raise Refused(_("Only a proposal adopted by its assembly can be sent to a meeting."), 409)
    if not can("cdc.contribution.send", proposal):
        raise Refused(_("Only a facilitator of %(commune)s can send its proposals to a meeting.",
                        commune=proposal.assembly.commune.name), 403)


@route(bp, "/propositions/<int:proposal_id>/rencontres", "contribution_meetings")
class Meetings(Handler):
    """The meetings whose declaration is open to amendments, to choose where to send it."""

    login_required = True
    #: False once refused: the page then lists nothing, only the refusal's words.
    listing = True

    def load(self, proposal_id: int):
        self.proposal = load_proposal(proposal_id)
        return self.proposal.assembly

    def check_access(self) -> None:
        super().check_access()
        check_sender(self.proposal)

    def get(self):
        return self.render()

    def render(self):
        api = contributions.proposals_api()
        choices = []
        if self.listing:
            for declaration in contributions.open_declarations():
                sent = contributions.already_sent(declaration, self.proposal.id)
                choices.append((declaration, sent, contributions.contribution_url(sent, declaration) if sent else None))
        return render_template("cdc/contribution_meetings.html", proposal=self.proposal,
                               proposal_url=api.proposal_url(self.proposal), choices=choices)

    def refused(self, refusal):
        self.listing = False
        return super().refused(refusal)


@route(bp, "/rencontres/<int:meeting_id>/declaration/contributions/<int:proposal_id>", "contribution_send",
       methods=("GET", "POST"))
class Send(DeclarationPage):
    login_required = True

    def load(self, meeting_id: int, proposal_id: int):
        space = super().load(meeting_id)
        self.required()
        self.proposal = load_proposal(proposal_id)
        return space

    def check_access(self) -> None:
        super().check_access()
        check_sender(self.proposal)

    def contribution_form(self):
        form = self.form(ContributionForm)
        rows = declarations.articles(self.declaration)
        form.article.choices = [(AT_START, _("At the start (for an added article)"))] + [
            (str(a.number), _("Article %(n)d", n=a.number)) for a in rows]
        if not form.is_submitted():
            form.article.data = str(rows[-1].number) if rows else AT_START
            form.text.data = self.proposal.body
        return form

    def get(self):
        contributions.check_sendable(self.proposal, self.declaration)
        return self.render()

    def render(self):
        api = contributions.proposals_api()
        delegation = contributions.commune_delegation(self.meeting.id, self.proposal.assembly.commune_id)
        return self.page("cdc/contribution_send.html", declaration=self.declaration, proposal=self.proposal,
                         proposal_url=api.proposal_url(self.proposal), commune=self.proposal.assembly.commune,
                         delegation=delegation, form=self.contribution_form())

    def post(self):
        form = self.contribution_form()
        if not form.validate():
            return self.invalid()
        raw = request.form.get("article", "")
        number = int(raw) if raw.isdigit() and len(raw) < 7 else -1
        # A refusal shows at the top of the page, the form as it was typed under it.
        contribution = contributions.send(
            self.proposal, self.declaration, current_user, kind=form.kind.data, summary=form.summary.data,
            amendment_kind=form.amendment_kind.data or "", article_number=None if number == 0 else number,
            text=form.text.data)
        page = contributions.contribution_url(contribution, self.declaration)
        replay.claim(page)
        if contribution.amendment is not None:
            flash(_("The proposal has been tabled as amendment A%(n)d.", n=contribution.amendment.number), "success")
        else:
            flash(_("The proposal has been sent to the meeting as a contribution."), "success")
        return redirect(page, 303)
