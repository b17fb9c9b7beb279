"""The declaration's pages: the public text with its amendments inline, its creation or
import by the drafting committee (the organisers), an article's change while the text is
a draft, its opening to amendments, tabling an amendment and supporting one."""

from __future__ import annotations

from functools import lru_cache

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import get_translations, ngettext, pgettext
from flask_login import current_user

from convergence.drafting import diff
from convergence.extensions import db
from convergence.permissions import can
from convergence.refusal import Refused
from convergence.web import replay
from convergence.web.forms import ConfirmForm, require_confirmed_post
from convergence.web.handlers import route
from convergence.web.inputs import whole_number

from . import contributions as sent, declaration_text, declarations, tabling
from .declaration_forms import AT_START, AmendForm, ArticleForm, DeadlineForm, DeclarationForm
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


#: Up to this many amendments the page draws them all inline under their articles. Beyond,
#: it shows the text with each article's count of amendments, and draws the amendments one
#: section at a time (``?partie=k``), as OpenSlides and Antragsgrün put a long motion's
#: amendments on pages of their own: a thousand word diffs on one page were 790 KiB and
#: 250 ms to draw, too much for a phone and for the server (bench/README.md).
INLINE_MAX = 100


def amendments_by_place(declaration, article_ids=None, at_start: bool = True) -> dict:
    """The declaration's amendments keyed by where they show: ``(kind, article_id)``; only
    those of ``article_ids`` (and the ones adding an article at the start when ``at_start``)
    when given."""
    query = (db.select(DeclarationAmendment).where(DeclarationAmendment.declaration_id == declaration.id)
             .options(db.joinedload(DeclarationAmendment.delegation).joinedload(Delegation.commune))
             .order_by(DeclarationAmendment.number))
    if article_ids is not None:
        where = DeclarationAmendment.article_id.in_(list(article_ids))
        if at_start:
            where = db.or_(where, DeclarationAmendment.article_id.is_(None))
        query = query.where(where)
    places: dict = {}
    for row in db.session.scalars(query):
        places.setdefault((row.kind, row.article_id), []).append(row)
    return places


def amendment_counts(declaration) -> dict:
    """How many amendments show under each article, ``{article_id: n}`` (None: those adding
    an article at the start), in one grouped query with no amendment loaded."""
    rows = db.session.execute(db.select(DeclarationAmendment.article_id, db.func.count())
                              .where(DeclarationAmendment.declaration_id == declaration.id)
                              .group_by(DeclarationAmendment.article_id))
    return {article_id: n for article_id, n in rows}


def folded(counts: dict) -> bool:
    return sum(counts.values()) > INLINE_MAX


def part_of(groups: list, article_id) -> int:
    """The number (from 1) of the section holding ``article_id`` (None: the first)."""
    for k, (_title, group) in enumerate(groups, start=1):
        if any(a.id == article_id for a in group):
            return k
    return 1


def amendment_part(declaration, amendment: DeclarationAmendment) -> int | None:
    """The section whose page draws ``amendment`` when the declaration has too many
    amendments to draw them all; None when the whole page draws it."""
    if not folded(amendment_counts(declaration)):
        return None
    return part_of(declaration_text.sections(declarations.articles(declaration)), amendment.article_id)


def amendment_url(declaration, amendment: DeclarationAmendment) -> str:
    """Where the page shows ``amendment``: its anchor on the page, or in its section's."""
    return url_for("cdc.declaration", meeting_id=declaration.meeting_id,
                   partie=amendment_part(declaration, amendment)) + f"#A{amendment.number}"


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


def article_labels(counts: dict) -> dict:
    """The words every article repeats, translated once for the page (200 articles)."""
    # The catalogue's plural forms unformatted: the template puts each article's number in.
    catalogue = get_translations()
    return {"article": _("Article %(n)d"), "change": _("Change article %(n)d"), "amend": _("Amend article %(n)d"),
            "amendments": {n: catalogue.ngettext("%(num)d amendment to article %(n)d",
                                                 "%(num)d amendments to article %(n)d", n)
                           for n in set(counts.values())}}


def requested_part() -> int | None:
    """The section asked for by ``?partie=k``; 404 for anything but a number."""
    from flask import request

    raw = request.args.get("partie")
    if raw is None:
        return None
    # ASCII digits only: « ² » and « ١ » pass str.isdigit() and int() then fails or reads them.
    part = whole_number(raw, high=999_999)
    if part is None:
        abort(404)
    return part


def render_declaration(page, part: int | None):
    """The declaration's page for ``page`` (a handler): the whole text, with the amendments
    inline or counted under each article (see ``INLINE_MAX``); or section ``part`` with its
    amendments inline."""
    declaration = page.declaration
    organises = can("cdc.organise", page.assembly)
    if declaration is None:
        if not organises:
            abort(404)
        return page.page("cdc/declaration.html", declaration=None, organises=True)
    delegation = delegation_of(page.meeting, current_user) if current_user.is_authenticated else None
    rows = declarations.articles(declaration)
    groups = declaration_text.sections(rows)
    if part is not None and not 1 <= part <= len(groups):
        abort(404)
    counts = amendment_counts(declaration)
    fold = folded(counts)
    if part is not None:
        shown = [groups[part - 1]]
        places = amendments_by_place(declaration, [a.id for a in shown[0][1]], at_start=part == 1)
    elif fold:
        shown, places = groups, {}
    else:
        shown, places = groups, amendments_by_place(declaration)
    supported = set()
    if delegation is not None and places:
        supported = set(db.session.scalars(db.select(AmendmentSupport.amendment_id)
                                           .where(AmendmentSupport.delegation_id == delegation.id)))
    sections = [(title, [(a, [inline(x) for x in places.get(("modify", a.id), [])],
                          [inline(x) for x in places.get((KIND_ADD, a.id), [])]) for a in group])
                for title, group in shown]
    contents = [(k, title, len(group), sum(counts.get(a.id, 0) for a in group) + (counts.get(None, 0) if k == 1 else 0))
                for k, (title, group) in enumerate(groups, start=1)]
    words = amendment_labels(places)
    from_communes = communes_contributions(declaration, groups, fold)
    words["origins"] = {item["amendment"].id: (item["adopted_by"], item["proposal_url"])
                        for item in from_communes if item["amendment"] is not None and item["proposal_url"]}
    from .wording_vote_views import shown as wording_votes  # the votes between wordings, with mj's state

    return page.page("cdc/declaration.html", declaration=declaration, sections=sections,
                     wording_votes=wording_votes(declaration) if declaration.state != DRAFT else [],
                     words=words, article_words=article_labels(counts), from_communes=from_communes,
                     form_token=replay.token_field(),
                     at_start=[inline(x) for x in places.get((KIND_ADD, None), [])],
                     at_start_count=counts.get(None, 0), counts=counts, folded=fold and part is None,
                     part=part, contents=contents, parts=len(groups),
                     organises=organises, delegation=delegation, supported=supported,
                     can_support=delegation is not None and declaration.state == AMENDING,
                     confirm=ConfirmForm(formdata=None), draft=declaration.state == DRAFT,
                     amendments_until=tabling.deadline_label(declaration),
                     amending=declaration.state == AMENDING)


def communes_contributions(declaration, groups: list, fold: bool) -> list[dict]:
    """The proposals the communes sent (contributions.of_declaration), each with the words
    « proposition adoptée par … » and, for an amendment, where the page draws it."""
    items = sent.of_declaration(declaration)
    for item in items:
        item["adopted_by"] = _("proposal adopted by %(commune)s", commune=item["commune"])
        amendment = item["amendment"]
        if amendment is not None:
            part = part_of(groups, amendment.article_id) if fold else None
            item["amendment_url"] = url_for("cdc.declaration", meeting_id=declaration.meeting_id,
                                            partie=part) + f"#A{amendment.number}"
    return items


@route(bp, "/rencontres/<int:meeting_id>/declaration", "declaration")
class Show(DeclarationPage):
    def get(self):
        return self.render()

    def render(self):
        return render_declaration(self, requested_part())


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
        # Typed, the text has the file's limit: 2 MB of paragraphs would be 100,000 articles.
        if len(form.text.data.encode()) > UPLOAD_MAX:
            raise Refused(_("The text is larger than 200 kB."), 413)
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


@route(bp, "/rencontres/<int:meeting_id>/declaration/delai", "declaration_deadline", methods=("GET", "POST"))
class Deadline(DeclarationPage):
    """The committee sets the time after which no amendment is tabled."""

    permission = "cdc.organise"

    def get(self):
        return self.render()

    def render(self):
        declaration = self.required()
        form = self.form(DeadlineForm, data={"deadline": _local(declaration.amendments_deadline)})
        return self.page("cdc/declaration_deadline.html", declaration=declaration, form=form,
                         amendments_until=tabling.deadline_label(declaration))

    def post(self):
        from flask_babel import to_utc

        self.required()
        form = self.form(DeadlineForm)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.deadline):
            tabling.set_deadline(self.declaration, current_user,
                                 to_utc(form.deadline.data) if form.deadline.data else None)
        if self.declaration.amendments_deadline is None:
            flash(_("Amendments are tabled until the committee closes them."), "success")
        else:
            flash(_("Amendments are tabled until %(date)s.", date=tabling.deadline_label(self.declaration)),
                  "success")
        return redirect(self.home(), 303)


def _local(moment):
    from flask_babel import to_user_timezone

    return to_user_timezone(moment).replace(tzinfo=None) if moment is not None else None


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
        tabling.require_tabling(self.declaration)
        return self.render()

    def render(self):
        delegation = getattr(self, "delegation", None)
        return self.page("cdc/amend.html", declaration=self.declaration, form=self.amend_form(),
                         delegation=public_name(delegation) if delegation else "",
                         amendments_until=tabling.deadline_label(self.declaration))

    def post(self):
        tabling.require_tabling(self.declaration)  # said at the top of the page, not at a field
        form = self.amend_form()
        if not form.validate():
            return self.invalid()
        # ASCII digits within INTEGER: int() would read « ١ » as article 1, and a number
        # beyond 2^63 would fail in SQLite's query instead of being refused.
        number = whole_number(form.article.data)
        with self.refusals_at(form.article):
            if number is None:
                raise Refused(_("Choose an article of the list."))
            amendment = tabling.table(self.declaration, self.delegation, current_user, kind=form.kind.data,
                                      article_number=None if number == 0 else number, text=form.text.data,
                                      explanation=form.explanation.data)
        page = amendment_url(self.declaration, amendment)
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
        # A refusal redraws the page where the amendment shows (its section's on a long text).
        return render_declaration(self, amendment_part(self.required(), self.amendment))

    def post(self):
        require_confirmed_post()
        replay.claim(self.home())
        now = tabling.toggle_support(self.amendment, self.delegation)
        flash(_("Your delegation supports amendment A%(n)d.", n=self.amendment.number) if now
              else _("Your delegation no longer supports amendment A%(n)d.", n=self.amendment.number), "success")
        return redirect(amendment_url(self.declaration, self.amendment), 303)
