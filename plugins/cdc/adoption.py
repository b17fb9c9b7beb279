"""Adopting the declaration: by consent (the committee records that no delegation objected)
or by a floor vote on the whole text carried (floor.py).

The text is then frozen: the state is adopted, the document's version and the SHA-256 of
its body (the Markdown, UTF-8) are kept, and written in the host commune's journal, so
that anyone can check a printed copy against it. Every amendment still open is closed
rejected; every later change is refused with a 409 (declarations.require_not_adopted).
Nothing here commits.
"""

from __future__ import annotations

import hashlib

from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused

from . import declarations, outcomes
from .declaration_models import (ADOPTED, ADOPTION_MODES, DRAFT, OUTCOME_REJECTED, Declaration, DeclarationAmendment,
                                 FloorVote)


def text_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def still_open(declaration: Declaration) -> list[DeclarationAmendment]:
    return list(db.session.scalars(
        db.select(DeclarationAmendment).where(DeclarationAmendment.declaration_id == declaration.id,
                                              DeclarationAmendment.outcome.is_(None))
        .order_by(DeclarationAmendment.number)))


def adopt(declaration: Declaration, user, mode: str) -> str:
    """Freeze the text; returns its hash."""
    if mode not in ADOPTION_MODES:
        raise ValueError(mode)
    declarations.require_not_adopted(declaration)
    if declaration.state == DRAFT:
        raise Refused(_("The declaration is still a draft: open it to amendments before adopting it."), 409)
    open_vote = db.session.scalar(db.select(FloorVote.id).where(FloorVote.declaration_id == declaration.id,
                                                                FloorVote.closed_at.is_(None)).limit(1))
    if open_vote is not None:
        raise Refused(_("A vote is still open: close it before adopting the text."), 409)
    from .wording_vote import open_votes  # the votes between wordings are mj's, reached through its api

    if open_votes(declaration):
        raise Refused(_("A vote between wordings is still open: close it before adopting the text."), 409)
    for amendment in still_open(declaration):
        outcomes.close(amendment, user, OUTCOME_REJECTED, _("Not decided before the text was adopted."))
    db.session.flush()
    document = declaration.document
    declaration.state = ADOPTED
    declaration.adoption_mode = mode
    declaration.adopted_at = utcnow()
    declaration.adopted_version = document.version
    declaration.adopted_hash = text_hash(document.body)
    audit.record("cdc.declaration.adopted", commune_id=declaration.meeting.assembly.commune_id,
                 target=document.title, meeting=declaration.meeting.assembly.title, mode=mode,
                 version=document.version, sha256=declaration.adopted_hash)
    return declaration.adopted_hash
