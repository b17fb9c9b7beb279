"""Amendments to a document: a change to one paragraph or to the whole text, accepted (a new
version) or rejected with a reason; a rejected amendment its author maintains goes to the
assembly. Who may amend or decide, and when, is the caller's rule (a proposal's authors, a
declaration's drafting committee …): these functions check the text and the amendment's own state."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..extensions import db
from ..models.base import utcnow
from ..models.drafting import (AMENDMENT_ACCEPTED, AMENDMENT_PENDING, AMENDMENT_REJECTED, AMENDMENT_WITHDRAWN,
                               BODY_MAX, Amendment, Document)
from ..refusal import Refused
from ..web.inputs import whole_number
from . import versions
from .paragraphs import paragraphs, replace_paragraph

STATE_LABELS = {
    AMENDMENT_PENDING: _l("Awaiting the authors"),
    AMENDMENT_ACCEPTED: _l("Accepted"),
    AMENDMENT_REJECTED: _l("Rejected"),
    AMENDMENT_WITHDRAWN: _l("Withdrawn"),
}
EXPLANATION_MAX = 5000


def propose(document: Document, user, paragraph, new_text, explanation) -> Amendment:
    """``paragraph``: its number in the current version, or "" / "all" for the whole text."""
    new_text = (new_text or "").replace("\r\n", "\n").strip()
    explanation = (explanation or "").strip()
    if len(new_text) > BODY_MAX or len(explanation) > EXPLANATION_MAX:
        raise Refused(_("The amendment is too long."))
    parts = paragraphs(document.body)
    raw = str(paragraph if paragraph is not None else "").strip()
    if raw in ("", "all"):
        index, original = None, document.body
        if not new_text:
            raise Refused(_("Write the amended text."))
    else:
        index = whole_number(raw, high=len(parts) - 1)
        if index is None:
            raise Refused(_("This paragraph does not exist in the current version."))
        original = parts[index]
    if new_text == original.strip():
        raise Refused(_("The amendment changes nothing."))
    amendment = Amendment(document_id=document.id, paragraph=index, base_version=document.version,
                          original_text=original, new_text=new_text, explanation=explanation,
                          author_id=user.id)
    db.session.add(amendment)
    return amendment


def amended_body(amendment: Amendment, body: str) -> str:
    """The current ``body`` with the amendment applied, if it still applies."""
    if amendment.paragraph is None:
        if body != amendment.original_text:
            raise Refused(_("The text has changed since this amendment was written: it no longer applies "
                            "as it is. Its author can propose it again on the current version."), 409)
        return amendment.new_text
    parts = paragraphs(body)
    # The paragraph may have moved: find it by its words, not by its number.
    try:
        index = parts.index(amendment.original_text.strip())
    except ValueError:
        raise Refused(_("The paragraph this amendment changes has been edited since: it no longer applies "
                        "as it is."), 409) from None
    return replace_paragraph(body, index, amendment.new_text)


def _pending(amendment: Amendment) -> None:
    if amendment.state != AMENDMENT_PENDING:
        raise Refused(_("This amendment has already been decided."), 409)


def take_in(amendment: Amendment, document: Document, user, note: str, **save):
    """Write the version that takes the amendment in (on top of the current one) and mark
    it accepted; ``save``: what :func:`versions.save` also needs (``empty_body``)."""
    body = amended_body(amendment, document.body)
    version = versions.save(document, user, document.version, document.title, body, note=note,
                            amendment_id=amendment.id, **save)
    decide(amendment, AMENDMENT_ACCEPTED, user)
    return version


def accept(amendment: Amendment, document: Document, user, **save):
    _pending(amendment)
    return take_in(amendment, document, user, _("Amendment #%(n)d accepted", n=amendment.id), **save)


def reject(amendment: Amendment, user, reason: str) -> None:
    """``reason``: already cleaned and required by the caller."""
    _pending(amendment)
    amendment.reason = reason
    decide(amendment, AMENDMENT_REJECTED, user)


def withdraw(amendment: Amendment, user) -> None:
    _pending(amendment)
    decide(amendment, AMENDMENT_WITHDRAWN, user)


def put_to_assembly(amendment: Amendment) -> None:
    """Its author maintains a rejected amendment: the assembly will decide on it."""
    if amendment.state != AMENDMENT_REJECTED:
        raise Refused(_("Only a rejected amendment can be put to the assembly."), 409)
    if amendment.to_assembly:
        raise Refused(_("This amendment is already put to the assembly."), 409)
    amendment.to_assembly = True


def decide(amendment: Amendment, state: str, user) -> None:
    amendment.state = state
    amendment.decided_by_id = getattr(user, "id", None)
    amendment.decided_at = utcnow()


def of_document(document_id: int) -> list[Amendment]:
    return list(db.session.scalars(db.select(Amendment).where(Amendment.document_id == document_id)
                                   .options(db.joinedload(Amendment.author)).order_by(Amendment.id)))
