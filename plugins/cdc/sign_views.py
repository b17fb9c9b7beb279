"""The adopted declaration's pages: signing it (the mandated delegate of a registered
delegation), its printable text, its PDF, and the public list of its signatories."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.web import replay
from convergence.web.handlers import route

from . import declaration_text, declarations, delegates, signing
from .declaration_models import ADOPTED
from .forms import SignForm
from .registration import public_name
from .views import MeetingPage, bp


class DeclarationPage(MeetingPage):
    """A page of the meeting's declaration (404 while it has none)."""

    def load(self, meeting_id: int):
        space = super().load(meeting_id)
        self.declaration = declarations.of_meeting(self.meeting)
        if self.declaration is None:
            abort(404)
        return space

    def adopted_or_404(self):
        if self.declaration.state != ADOPTED:
            abort(404)

    def adopted_text(self) -> dict:
        """What the printable page and the PDF show (three queries)."""
        return {"declaration": self.declaration, "title": self.declaration.document.title,
                "sections": declaration_text.sections(declarations.articles(self.declaration)),
                "signatures": signing.signatories(self.declaration)}


@route(bp, "/rencontres/<int:meeting_id>/declaration/signer", "declaration_sign", methods=("GET", "POST"))
class Sign(DeclarationPage):
    login_required = True
    permission = "cdc.declaration.sign"

    def get(self):
        return self.render()

    def render(self):
        delegation = delegates.delegation_of(self.meeting, current_user)
        mandated = delegation is not None and delegates.is_mandated(delegation, current_user)
        form = self.form(SignForm, data={"delegation": delegation.id if delegation else None})
        return self.page("cdc/sign.html", declaration=self.declaration, form=form, delegation=delegation,
                         name=public_name(delegation) if delegation else "", mandated=mandated,
                         signed=signing.signature_of(self.declaration, delegation),
                         adopted=self.declaration.state == ADOPTED)

    def post(self):
        form = self.form(SignForm)
        if not form.validate():
            return self.invalid()
        page = url_for("cdc.declaration_signatories", meeting_id=self.meeting.id)
        replay.claim(page)
        with self.refusals_at(form.reference):
            signature = signing.sign(self.declaration, current_user, form.delegation.data or 0,
                                     form.reference.data or "")
        flash(_("« %(name)s » has signed the declaration.", name=signature.collective_name), "success")
        return redirect(page, 303)


@route(bp, "/rencontres/<int:meeting_id>/declaration/texte", "declaration_print")
class PrintableText(DeclarationPage):
    def get(self):
        self.adopted_or_404()
        return self.page("cdc/declaration_print.html", **self.adopted_text())


@route(bp, "/rencontres/<int:meeting_id>/declaration.pdf", "declaration_pdf")
class PdfText(DeclarationPage):
    def get(self):
        from . import pdf

        self.adopted_or_404()
        content = pdf.adopted_text(meeting=self.meeting, **self.adopted_text())
        return Response(content, mimetype="application/pdf", headers={
            "Content-Disposition": f'inline; filename="declaration-{self.meeting.id}.pdf"'})


@route(bp, "/rencontres/<int:meeting_id>/declaration/signataires", "declaration_signatories")
class Signatories(DeclarationPage):
    def get(self):
        return self.page("cdc/signatories.html", declaration=self.declaration,
                         signatures=signing.signatories(self.declaration),
                         adopted=self.declaration.state == ADOPTED)
