"""Writing a proposal together: its versions and their differences, amendments and the
authors' decisions on them, co-authors."""

from __future__ import annotations

from flask import abort, flash, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from convergence.drafting import diff
from convergence.drafting import versions as drafts
from convergence.drafting.paragraphs import paragraphs
from convergence.extensions import db
from convergence.models import Amendment, User
from convergence.permissions import can, require
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.errors import abort_with
from convergence.web.handlers import route
from convergence.web.inputs import whole_number

from .. import amendments, drafting
from ..forms import AmendmentForm, InviteAuthorForm, RejectAmendmentForm, VersionForm
from ..models import AUTHOR_ACTIVE
from .base import ProposalPage, bp

# -- versions -------------------------------------------------------------------------------


@route(bp, "/propositions/<int:proposal_id>/modifier", "edit", methods=("GET", "POST"))
class Edit(ProposalPage):
    """A new version; of two people saving the same version, the second sees what the
    first changed and keeps their own text, now based on the new version (409)."""

    permission = "proposals.edit"
    posts = "VersionForm"

    def post(self):
        form = self.form(VersionForm)
        if not form.validate():
            return self.invalid()
        version = drafting.save_version(self.proposal, current_user, form.base_version.data, form.title.data,
                                        form.body.data, note=form.note.data or "")
        replay.claim(self.url())
        flash(_("Version %(n)d saved.", n=version.number), "success")
        return self.back()

    def render(self):
        proposal, form, conflict = self.proposal, self.form(VersionForm), None
        if not form.is_submitted():
            form.process(data={"title": proposal.title, "body": proposal.body, "base_version": proposal.version})
        refusal = g.get("refusal")
        if isinstance(refusal, drafting.Conflict):
            base = drafting.version(proposal, refusal.base)
            # Their changes (base → current); the text they tried to save stays in the form.
            conflict = {"base": refusal.base, "current": proposal.version,
                        "pieces": diff.diff(base.body if base else "", proposal.body),
                        "title_changed": base is not None and base.title != proposal.title}
            form.base_version.data = proposal.version
        return render_template("proposals/edit.html", assembly=proposal.assembly, proposal=proposal, form=form,
                               conflict=conflict)


@route(bp, "/propositions/<int:proposal_id>/versions", "versions")
class Versions(ProposalPage):
    def get(self):
        proposal = self.proposal
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


# -- amendments -----------------------------------------------------------------------------

@route(bp, "/propositions/<int:proposal_id>/amendements/nouveau", "amend", methods=("GET", "POST"))
class Amend(ProposalPage):
    permission = "proposals.amend"
    posts = "AmendmentForm"

    def post(self):
        form = self.form(AmendmentForm)
        if not form.validate():
            return self.invalid()
        if str(form.base_version.data) != str(self.proposal.version):
            raise Refused(_("The text has changed since you opened the form (now version %(n)d). "
                            "Check the current text and propose your amendment again.", n=self.proposal.version), 409)
        with self.refusals_at(form.new_text):
            amendment = amendments.propose(self.proposal, current_user, form.paragraph.data, form.new_text.data,
                                           form.explanation.data)
        db.session.flush()
        replay.claim(self.url(f"#amendement-{amendment.id}"))
        flash(_("Amendment #%(n)d proposed to the authors.", n=amendment.id), "success")
        return self.back(f"#amendement-{amendment.id}")

    def render(self):
        proposal, form = self.proposal, self.form(AmendmentForm)
        parts = paragraphs(proposal.body)
        form.paragraph.choices = [form.paragraph.choices[0], *(
            (str(n), _("Paragraph %(n)d:", n=n + 1) + " " + _shorten(part)) for n, part in enumerate(parts))]
        if not form.is_submitted():  # « Amend this paragraph »: the form opens on it
            index = whole_number(request.args.get("paragraphe", ""), high=len(parts) - 1)
            form.process(data={"paragraph": "" if index is None else str(index), "base_version": proposal.version,
                               "new_text": proposal.body if index is None else parts[index]})
        return render_template("proposals/amend.html", assembly=proposal.assembly, proposal=proposal, form=form)


def _shorten(text: str, length: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rsplit(" ", 1)[0] + " …"


@route(bp, "/propositions/<int:proposal_id>/amendements/<int:amendment_id>/<action>", "amendment_decision",
       methods=("POST",))
class AmendmentDecision(ProposalPage):
    """The authors accept or reject (with a reason) an amendment; its author withdraws it
    or maintains it for the assembly."""

    BY_AUTHORS, BY_ITS_AUTHOR = ("accepter", "rejeter"), ("retirer", "assemblee")
    posts = "RejectAmendmentForm"

    def load(self, proposal_id, amendment_id, action):
        space = super().load(proposal_id)
        self.amendment = db.session.get(Amendment, amendment_id)
        if self.amendment is None or self.amendment.document_id != self.proposal.document_id or \
                action not in self.BY_AUTHORS + self.BY_ITS_AUTHOR:
            abort(404)
        self.action, self.item_id = action, amendment_id
        return space

    def check_access(self):
        if self.action in self.BY_AUTHORS:
            require("proposals.author", self.proposal)
        else:
            require("proposals.own_amendment", self.amendment)

    def post(self):
        amendment = self.amendment
        if self.action == "accepter":
            amendments.accept(amendment, current_user)
            message = _("Amendment accepted: the text has a new version.")
        elif self.action == "rejeter":
            form = self.form(RejectAmendmentForm)
            if not form.validate():
                return self.invalid()
            amendments.reject(amendment, current_user, form.reason.data)
            message = _("Amendment rejected.")
        elif self.action == "retirer":
            amendments.withdraw(amendment, current_user)
            message = _("Amendment withdrawn.")
        else:
            amendments.put_to_assembly(amendment)
            message = _("The amendment will be put to the assembly.")
        flash(message, "success")
        return self.back(f"#amendement-{amendment.id}")


# -- co-authors -----------------------------------------------------------------------------

@route(bp, "/propositions/<int:proposal_id>/auteurs/inviter", "invite_author", methods=("POST",))
class InviteAuthor(ProposalPage):
    permission = "proposals.author"
    posts = "InviteAuthorForm"

    def post(self):
        form = self.form(InviteAuthorForm)
        if not form.validate():
            return self.invalid()
        email = form.email.data.lower()
        user = db.session.scalar(db.select(User).where(db.func.lower(User.email) == email))
        if user is None or not can("assembly.participate", self.proposal.assembly, user=user):
            form.email.errors = [_("No participant of this assembly has this e-mail address.")]
            return self.invalid()
        replay.claim(self.url("#auteurs"))
        with self.refusals_at(form.email):
            drafting.invite(self.proposal, user)
        flash(_("%(name)s is invited to co-write the proposal.", name=user.display_name), "success")
        return self.back("#auteurs")


@route(bp, "/propositions/<int:proposal_id>/auteurs/rejoindre", "ask_to_join", methods=("POST",))
class AskToJoin(ProposalPage):
    permission = "proposals.join"

    def post(self):
        replay.claim(self.url("#auteurs"))
        row = drafting.ask_to_join(self.proposal, current_user)
        flash(_("You are now a co-author.") if row.state == AUTHOR_ACTIVE
              else _("Your request has been sent to the authors."), "success")
        return self.back("#auteurs")


@route(bp, "/propositions/<int:proposal_id>/auteurs/<int:user_id>/<action>", "author_decision",
       methods=("POST",))
class AuthorDecision(ProposalPage):
    """An author accepts or declines a request; the person invited accepts or declines;
    an author leaves (never the last one)."""

    def load(self, proposal_id, user_id, action):
        if action not in ("accepter", "retirer"):
            abort(404)
        self.user_id, self.action = user_id, action
        return super().load(proposal_id)

    def check_access(self):
        require("proposals.authorship", self.proposal, person_id=self.user_id)

    def post(self):
        own = self.user_id == current_user.id
        if self.action == "accepter":
            drafting.accept_author(self.proposal, self.user_id, by_author=not own)
            flash(_("The co-author has joined the proposal."), "success")
        else:
            drafting.leave_or_decline(self.proposal, self.user_id)
            flash(_("Done."), "success")
        return self.back("#auteurs")
