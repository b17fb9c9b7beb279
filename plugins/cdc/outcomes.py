"""What becomes of an amendment to the declaration once it is decided — by its delegation
agreeing to the committee's procedure, by a vote of the delegations, or by a majority
judgment between wordings: its wording goes into the articles (a new version of the
document) or it is closed with its outcome. Nothing here commits.
"""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.drafting import amendments as core_amendments
from convergence.models.base import utcnow
from convergence.models.drafting import AMENDMENT_ACCEPTED, AMENDMENT_PENDING, AMENDMENT_REJECTED, AMENDMENT_WITHDRAWN
from convergence.refusal import Refused

from . import declarations
from .declaration_models import (KIND_ADD, OUTCOME_ADOPTED, OUTCOME_MERGED, OUTCOME_REJECTED, OUTCOME_WITHDRAWN,
                                 PROCEDURE_MODIFIED, DeclarationAmendment)

_CORE_STATE = {OUTCOME_REJECTED: AMENDMENT_REJECTED, OUTCOME_MERGED: AMENDMENT_WITHDRAWN,
               OUTCOME_WITHDRAWN: AMENDMENT_WITHDRAWN}


def require_open(amendment: DeclarationAmendment) -> None:
    if amendment.outcome is not None or amendment.amendment.state != AMENDMENT_PENDING:
        raise Refused(_("Amendment A%(n)d has already been decided.", n=amendment.number), 409)


def wording(amendment: DeclarationAmendment) -> str:
    """The wording that goes into the text: the committee's when it proposed to accept the
    amendment modified, else the delegation's."""
    if amendment.procedure == PROCEDURE_MODIFIED and amendment.procedure_text.strip():
        return amendment.procedure_text
    return amendment.amendment.new_text


def adopt(amendment: DeclarationAmendment, user, *, wording_text: str | None = None):
    """Put the amendment's wording into the articles and save the new version."""
    require_open(amendment)
    declaration = amendment.declaration
    declarations.require_not_adopted(declaration)
    text = wording_text if wording_text is not None else wording(amendment)
    if amendment.kind == KIND_ADD:
        declarations.insert_article(declaration, amendment.article, amendment.section, text)
    else:
        article = amendment.article
        if article is None:
            raise Refused(_("The article amendment A%(n)d changes no longer exists.", n=amendment.number), 409)
        # The article may have been changed by another amendment since this one was written.
        if article.text.strip() != amendment.amendment.original_text.strip():
            raise Refused(_("Article %(a)d has changed since amendment A%(n)d was written: it no longer "
                            "applies as it is.", a=article.number, n=amendment.number), 409)
        declarations.change_article(article, text)
    version = declarations.save_text(declaration, user, _("Amendment A%(n)d adopted", n=amendment.number),
                                     amendment_id=amendment.amendment_id)
    core_amendments.decide(amendment.amendment, AMENDMENT_ACCEPTED, user)
    _close(amendment, OUTCOME_ADOPTED)
    return version


def close(amendment: DeclarationAmendment, user, outcome: str, reason: str = "") -> None:
    """Rejected, merged into another or withdrawn: the text does not change."""
    require_open(amendment)
    if reason:
        amendment.amendment.reason = reason
    core_amendments.decide(amendment.amendment, _CORE_STATE[outcome], user)
    _close(amendment, outcome)


def _close(amendment: DeclarationAmendment, outcome: str) -> None:
    amendment.outcome = outcome
    amendment.decided_at = utcnow()
