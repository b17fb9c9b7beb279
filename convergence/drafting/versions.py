"""A document's text and its versions, with conflict detection.

Every save writes an immutable :class:`Version` numbered per document. The check that
nobody saved in between and the write are one conditional UPDATE of the document row
(``… WHERE version = base``), backed by the unique (document, number) of versions: of two
people saving the same version at the same instant, on any app server, exactly one
succeeds and the other is told, with what changed.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models.base import utcnow
from ..models.drafting import BODY_MAX, NOTE_MAX, TITLE_MAX, Document, Version
from ..refusal import Refused
from ..web.inputs import whole_number


class Conflict(Refused):
    """Someone saved a newer version than the one being edited."""

    def __init__(self, current: Document, base: int):
        super().__init__(_("Someone saved a new version (version %(current)d) while you were editing "
                           "version %(base)d. Your text has not been saved: compare the changes below, "
                           "then save again.", current=current.version, base=base), 409)
        self.current = current
        self.base = base


def clean_text(title: str | None, body: str | None, *, empty_body: str | None = None) -> tuple[str, str]:
    """The title on one line and the body with Unix line ends, or :class:`Refused`.
    ``empty_body``: the caller's words for a missing text (« the text of the proposal … »)."""
    title = " ".join((title or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise Refused(_("The title is required."))
    if len(title) > TITLE_MAX:
        raise Refused(_("The title is longer than %(n)d characters.", n=TITLE_MAX))
    if not body:
        raise Refused(empty_body or _("The text is required."))
    if len(body) > BODY_MAX:
        raise Refused(_("The text is longer than %(n)d characters.", n=BODY_MAX))
    return title, body


def create(user, title: str, body: str, *, note: str = "", empty_body: str | None = None) -> Document:
    """A new document and its version 1 (flushed, so the caller may point at it)."""
    title, body = clean_text(title, body, empty_body=empty_body)
    now = utcnow()
    document = Document(title=title, body=body, version=1, created_at=now, updated_at=now)
    db.session.add(document)
    db.session.flush()
    db.session.add(Version(document_id=document.id, number=1, title=title, body=body, note=note[:NOTE_MAX],
                           author_id=getattr(user, "id", None), created_at=now))
    return document


def save(document: Document, user, base_version, title, body, *, note: str = "", amendment_id: int | None = None,
         empty_body: str | None = None) -> Version:
    """Save a new version on top of ``base_version``; :class:`Conflict` if another came first
    (the session is then rolled back and ``document`` holds the current text)."""
    title, body = clean_text(title, body, empty_body=empty_body)
    base = whole_number(base_version)
    if base is None or base > document.version or base < 1:
        raise Refused(_("The version you edited is unknown. Reload the page."), 400)
    if base == document.version and title == document.title and body == document.body:
        raise Refused(_("Nothing has changed since the current version."))
    now = utcnow()
    updated = db.session.execute(
        db.update(Document).where(Document.id == document.id, Document.version == base)
        .values(version=base + 1, title=title, body=body, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if updated != 1:
        _lost(document, base)
    version = Version(document_id=document.id, number=base + 1, title=title, body=body, note=note[:NOTE_MAX],
                      amendment_id=amendment_id, author_id=getattr(user, "id", None), created_at=now)
    db.session.add(version)
    try:
        db.session.flush()
    except IntegrityError:
        _lost(document, base)
    db.session.expire(document, ["version", "title", "body", "updated_at"])
    return version


def _lost(document: Document, base: int):
    db.session.rollback()
    db.session.refresh(document)
    raise Conflict(document, base) from None


def version(document: Document, number) -> Version | None:
    number = whole_number(number)
    if number is None:
        return None
    return db.session.scalar(db.select(Version).where(Version.document_id == document.id,
                                                      Version.number == number))


def history(document: Document) -> list[Version]:
    """Every version, newest first, with its author."""
    return list(db.session.scalars(db.select(Version).where(Version.document_id == document.id)
                                   .options(db.joinedload(Version.author)).order_by(Version.number.desc())))
