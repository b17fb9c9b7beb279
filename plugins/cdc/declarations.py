"""A meeting's joint declaration: starting it, its articles, and saving its text as a version
of the core drafting document. Nothing here commits (the request flow does, once).

Who may do what (the drafting committee = the meeting's organisers, rule ``cdc.organise``)
is checked by the pages through permissions.py; these functions check the text and the
declaration's state.
"""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.drafting import versions
from convergence.extensions import db
from convergence.refusal import Refused

from . import declaration_text
from .declaration_models import ADOPTED, DRAFT, Article, Declaration
from .models import Meeting

ARTICLE_MAX = 5000


def of_meeting(meeting: Meeting) -> Declaration | None:
    return db.session.scalar(db.select(Declaration).where(Declaration.meeting_id == meeting.id))


def articles(declaration: Declaration) -> list[Article]:
    return list(db.session.scalars(db.select(Article).where(Article.declaration_id == declaration.id)
                                   .order_by(Article.position)))


def create(meeting: Meeting, user, title: str, markdown: str) -> Declaration:
    """The declaration of ``meeting`` from its first text in Markdown (typed or imported)."""
    if of_meeting(meeting) is not None:
        raise Refused(_("This meeting already has its declaration."), 409)
    parts = parse(markdown)
    for part in parts:
        check_wording(part.text)
    rows = [Article(number=n, position=n, section=part.section, text=part.text)
            for n, part in enumerate(parts, start=1)]
    document = versions.create(user, title, declaration_text.render(rows), note=_("First text"),
                               empty_body=_("Write the text of the declaration."))
    declaration = Declaration(meeting_id=meeting.id, document_id=document.id, state=DRAFT,
                              next_article_number=len(rows) + 1, created_by_id=getattr(user, "id", None))
    declaration.articles = rows
    db.session.add(declaration)
    db.session.flush()
    return declaration


def parse(markdown: str) -> list[declaration_text.Part]:
    try:
        return declaration_text.parse(markdown)
    except declaration_text.NoHeading:
        raise Refused(_("The text has no heading: start each part with a line such as « ## Le droit au "
                        "logement » so that its paragraphs become numbered articles.")) from None
    except declaration_text.Empty:
        raise Refused(_("The text has headings but no paragraph: write at least one article.")) from None


def check_wording(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise Refused(_("Write the wording of the article."))
    if len(text) > ARTICLE_MAX:
        raise Refused(_("An article is longer than %(n)d characters.", n=ARTICLE_MAX))
    if "\x00" in text:
        raise Refused(_("The text holds a character that cannot be stored."))
    return text


def require_not_adopted(declaration: Declaration) -> None:
    if declaration.state == ADOPTED:
        raise Refused(_("The declaration has been adopted: its text is frozen and can no longer change."), 409)


def change_article(article: Article, text: str) -> None:
    article.text = check_wording(text)


def insert_article(declaration: Declaration, after: Article | None, section: str, text: str) -> Article:
    """A new article after ``after`` (None: at the start), with the next free number."""
    position = after.position + 1 if after is not None else 1
    # Make room: every article from ``position`` on moves one down.
    db.session.execute(db.update(Article).where(Article.declaration_id == declaration.id,
                                                Article.position >= position)
                       .values(position=Article.position + 1).execution_options(synchronize_session="fetch"))
    number = declaration.next_article_number
    declaration.next_article_number = number + 1
    article = Article(declaration_id=declaration.id, number=number, position=position,
                      section=(after.section if after is not None and not section else section) or "",
                      text=check_wording(text))
    db.session.add(article)
    db.session.flush()
    return article


def save_text(declaration: Declaration, user, note: str, *, amendment_id: int | None = None):
    """Write the articles as they now are as a new version of the document."""
    db.session.flush()
    document = declaration.document
    body = declaration_text.render(articles(declaration))
    return versions.save(document, user, document.version, document.title, body, note=note,
                         amendment_id=amendment_id)
