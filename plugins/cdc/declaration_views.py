"""The declaration's pages: the public text with its amendments inline, its creation or
import by the drafting committee (the organisers), an article's change while the text is
a draft, its opening to amendments, tabling an amendment and supporting one."""

from __future__ import annotations

from functools import lru_cache

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from flask_login import current_user

from convergence.drafting import diff
from convergence.extensions import db
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.forms import ConfirmForm, require_confirmed_post
from convergence.web.handlers import route

from . import declaration_text, declarations, tabling
from .declaration_forms import AT_START, AmendForm, ArticleForm, DeclarationForm
from .declaration_models import AMENDING, DRAFT, KIND_ADD, AmendmentSupport, DeclarationAmendment
from .delegates import delegation_of
from .models import Delegation
from .registration import public_name
from .views import MeetingPage, bp

UPLOAD_MAX = 200_000


class DeclarationPage(MeetingPage):
    def load(self, meeting_id: int, **_rest):
        space = super().load(meeting_id)
        self.declaration = declarations.of_meeting(self.meeting)
        return space

    def access_target(self):
        return self.assembly

    def required(self):
        if self.declaration is None:
            abort(404)
        return self.declaration

    def home(self):
        return url_for("cdc.declaration", meeting_id=self.meeting.id)


def amendments_by_place(declaration) -> dict:
    """The declaration's amendments keyed by where they show: ``(kind, article_id)``."""
    rows = db.session.scalars(db.select(DeclarationAmendment)
                              .where(DeclarationAmendment.declaration_id == declaration.id)
                              .options(db.joinedload(DeclarationAmendment.delegation).joinedload(Delegation.commune))
                              .order_by(DeclarationAmendment.number))
    places: dict = {}
    for row in rows:
        places.setdefault((row.kind, row.article_id), []).append(row)
    return places


@lru_cache(maxsize=4096)
def _pieces(original: str, new: str) -> tuple:
    # An amendment's two wordings never change once tabled: each diff is worked out once per
    # process, not at every view of a page that shows a thousand of them.
    return tuple(diff.diff(original, new))


def inline(amendment: DeclarationAmendment):
    """What the page shows of an amendment: its word diff against the article it changes."""
    core = amendment.amendment
    return {"row": amendment, "pieces": _pieces(core.original_text, core.new_text),
            "delegation": public_name(amendment.delegation) if amendment.delegation else ""}


def amendment_labels(places: dict) -> dict:
    """The words every inline amendment repeats, translated once for the page (a thousand
    amendments would otherwise ask the catalogue seven thousand times); « A%(n)d » strings
    are formatted in the template."""
    counts = {row.supports_count for rows in places.values() for row in rows}
    return {
        "title": _("Amendment A%(n)d"), "adds": _("adds an article"), "changes": _("Changes"),
        "hint": _("Removed words are marked as deletions, added words as insertions."),
        "explanation": _("Explanation"), "committee": _("The committee"),
        "outcomes": {None: pgettext("amendment", "Pending"), "adopted": pgettext("amendment", "Adopted"),
                     "rejected": pgettext("amendment", "Rejected"), "merged": pgettext("amendment", "Merged"),
                     "withdrawn": pgettext("amendment", "Withdrawn")},
        "supports": {n: ngettext("%(num)d delegation supports it", "%(num)d delegations support it", n)
                     for n in counts},
        "support": _("Support A%(n)d for my delegation"),
        "withdraw": _("Withdraw my delegation's support for A%(n)d"),
    }


@route(bp, "/rencontres/<int:meeting_id>/declaration", "declaration")
class Show(DeclarationPage):
    def get(self):
        return self.render()

    def render(self):
        declaration = self.declaration
        organises = can("cdc.organise", self.assembly)
        if declaration is None:
            if not organises:
                abort(404)
            return self.page("cdc/declaration.html", declaration=None, organises=True)
        delegation = delegation_of(self.meeting, current_user) if current_user.is_authenticated else None
        supported = set()
        if delegation is not None:
            supported = set(db.session.scalars(db.select(AmendmentSupport.amendment_id)
                                               .where(AmendmentSupport.delegation_id == delegation.id)))
        places = amendments_by_place(declaration)
        rows = declarations.articles(declaration)
        sections = [(title, [(a, [inline(x) for x in places.get(("modify", a.id), [])],
                              [inline(x) for x in places.get((KIND_ADD, a.id), [])]) for a in group])
                    for title, group in declaration_text.sections(rows)]
        return self.page("cdc/declaration.html", declaration=declaration, sections=sections,
                         words=amendment_labels(places), form_token=replay.token_field(),
                         at_start=[inline(x) for x in places.get((KIND_ADD, None), [])],
                         organises=organises, delegation=delegation, supported=supported,
                         can_support=delegation is not None and declaration.state == AMENDING,
                         confirm=ConfirmForm(formdata=None), draft=declaration.state == DRAFT,
                         amending=declaration.state == AMENDING)


@route(bp, "/rencontres/<int:meeting_id>/declaration/nouvelle", "declaration_new", methods=("GET", "POST"))
class New(DeclarationPage):
    permission = "cdc.organise"

    def load(self, meeting_id: int):
        space = super().load(meeting_id)
        if self.declaration is not None:
            abort(redirect(self.home()))
        return space

    def get(self):
        return self.render()

    def render(self):
        return self.page("cdc/declaration_new.html", form=self.form(DeclarationForm))

    def post(self):
        form = self.form(DeclarationForm)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.text):
            markdown = self.markdown(form)
            # Claimed with the page it leads to: a replayed form meets the token, not the rule
            # of one declaration per meeting.
            replay.claim(self.home())
            tabling.start(self.meeting, current_user, form.title.data, markdown)
        flash(_("The declaration has been created."), "success")
        return redirect(self.home(), 303)

    @staticmethod
    def markdown(form) -> str:
        upload = form.file.data
        if upload is not None and getattr(upload, "filename", ""):
            if not upload.filename.lower().endswith((".md", ".txt", ".markdown")):
                raise Refused(_("Import a Markdown (.md) or text (.txt) file."), 422)
            raw = upload.read(UPLOAD_MAX + 1)
            if len(raw) > UPLOAD_MAX:
                raise Refused(_("The file is larger than 200 kB."), 413)
            try:
                return raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise Refused(_("The file is not UTF-8 text."), 422) from None
        if not (form.text.data or "").strip():
            raise Refused(_("Type the text or choose a file."), 422)
        return form.text.data


@route(bp, "/rencontres/<int:meeting_id>/declaration/articles/<int:number>", "declaration_article",
       methods=("GET", "POST"))
class EditArticle(DeclarationPage):
    permission = "cdc.organise"

    def load(self, meeting_id: int, number: int):
        space = super().load(meeting_id)
        self.article = tabling.article(self.required(), number)
        if self.article is None:
            abort(404)
        return space

    def get(self):
        return self.render()

    def render(self):
        form = self.form(ArticleForm, data={"text": self.article.text})
        return self.page("cdc/declaration_article.html", declaration=self.declaration, article=self.article,
                         form=form)

    def post(self):
        form = self.form(ArticleForm)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.text):
            tabling.edit_article(self.declaration, self.article, current_user, form.text.data)
        flash(_("Article %(n)d has been changed.", n=self.article.number), "success")
        return redirect(self.home() + f"#article-{self.article.number}", 303)


@route(bp, "/rencontres/<int:meeting_id>/declaration/ouvrir", "declaration_open", methods=("GET", "POST"))
class Open(DeclarationPage):
    permission = "cdc.organise"

    def get(self):
        return self.render()

    def render(self):
        return self.page("cdc/declaration_open.html", declaration=self.required(), form=self.form(ConfirmForm))

    def post(self):
        self.required()
        require_confirmed_post()
        if tabling.open_to_amendments(self.declaration):
            flash(_("The declaration is open to amendments."), "success")
        return redirect(self.home(), 303)


class DelegationMemberPage(DeclarationPage):
    """Pages of a delegation member: refused, in words, to anyone without a delegation."""

    login_required = True

    def check_access(self) -> None:
        super().check_access()
        if not can("cdc.declaration.take_part", self.meeting):
            raise Refused(_("Only a member of a delegation registered to the meeting can table or support "
                            "amendments."), 403)
        self.delegation = delegation_of(self.meeting, current_user)


@route(bp, "/rencontres/<int:meeting_id>/declaration/amender", "declaration_amend", methods=("GET", "POST"))
class Amend(DelegationMemberPage):
    def load(self, meeting_id: int):
        space = super().load(meeting_id)
        self.required()
        return space

    def amend_form(self):
        form = self.form(AmendForm)
        rows = declarations.articles(self.declaration)
        form.article.choices = [(AT_START, _("At the start (for an added article)"))] + [
            (str(a.number), _("Article %(n)d", n=a.number)) for a in rows]
        if not form.is_submitted() and form.article.data is None:
            from flask import request

            form.article.data = request.args.get("article", rows[0].number if rows else AT_START)
            form.article.data = str(form.article.data)
        return form

    def get(self):
        tabling.require_amending(self.declaration)
        return self.render()

    def render(self):
        delegation = getattr(self, "delegation", None)
        return self.page("cdc/amend.html", declaration=self.declaration, form=self.amend_form(),
                         delegation=public_name(delegation) if delegation else "")

    def post(self):
        form = self.amend_form()
        if not form.validate():
            return self.invalid()
        try:
            number = int(form.article.data)
        except (TypeError, ValueError):
            number = -1
        with self.refusals_at(form.article):
            amendment = tabling.table(self.declaration, self.delegation, current_user, kind=form.kind.data,
                                      article_number=None if number == 0 else number, text=form.text.data,
                                      explanation=form.explanation.data)
        page = self.home() + f"#A{amendment.number}"
        replay.claim(self.home())
        flash(_("Amendment A%(n)d has been tabled.", n=amendment.number), "success")
        return redirect(page, 303)


@route(bp, "/rencontres/<int:meeting_id>/declaration/amendements/<int:number>/soutenir", "declaration_support",
       methods=("POST",))
class Support(DelegationMemberPage):
    """The button under an amendment; a refusal redraws the declaration's page."""

    def load(self, meeting_id: int, number: int):
        space = super().load(meeting_id)
        self.amendment = db.session.scalar(db.select(DeclarationAmendment).where(
            DeclarationAmendment.declaration_id == self.required().id, DeclarationAmendment.number == number))
        if self.amendment is None:
            abort(404)
        return space

    def render(self):
        return Show.render(self)

    def post(self):
        require_confirmed_post()
        replay.claim(self.home())
        now = tabling.toggle_support(self.amendment, self.delegation)
        flash(_("Your delegation supports amendment A%(n)d.", n=self.amendment.number) if now
              else _("Your delegation no longer supports amendment A%(n)d.", n=self.amendment.number), "success")
        return redirect(self.home() + f"#A{self.amendment.number}", 303)
