"""Tabling amendments to a meeting's declaration, supporting them, and the committee's work
on the draft (starting it, changing an article, opening it to amendments). Nothing here
commits (the request flow does, once); every write is journalled in the host commune.

An amendment is the core's drafting :class:`Amendment` (original wording, new wording,
explanation) plus its :class:`DeclarationAmendment` (number « A12 », delegation, article).
Numbers are taken from the declaration's counter under its row lock, so two delegations
tabling at once get two numbers, never the same.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.models.drafting import AMENDMENT_PENDING, Amendment
from convergence.refusal import Refused

from . import declarations, outcomes
from .declaration_models import (AMENDING, DRAFT, KIND_ADD, KIND_MODIFY, AmendmentSupport, Article, Declaration,
                                 DeclarationAmendment)
from .registration import public_name

EXPLANATION_MAX = 5000


def _journal(action: str, declaration: Declaration, **details) -> None:
    meeting = declaration.meeting
    audit.record(action, commune_id=meeting.assembly.commune_id, target=declaration.document.title,
                 meeting=meeting.assembly.title, **details)


def _locked(declaration: Declaration) -> Declaration:
    """The declaration's row again, locked for the rest of the transaction (PostgreSQL)."""
    return db.session.scalar(db.select(Declaration).where(Declaration.id == declaration.id)
                             .with_for_update().execution_options(populate_existing=True))


def start(meeting, user, title: str, markdown: str) -> Declaration:
    title = " ".join((title or "").split())
    if not title:
        raise Refused(_("Give the declaration a title."))
    declaration = declarations.create(meeting, user, title, markdown)
    _journal("cdc.declaration.created", declaration)
    return declaration


def article(declaration: Declaration, number: int) -> Article | None:
    return db.session.scalar(db.select(Article).where(Article.declaration_id == declaration.id,
                                                      Article.number == number))


def edit_article(declaration: Declaration, row: Article, user, text: str) -> None:
    """The committee rewrites an article while the text is still its draft."""
    declaration = _locked(declaration)
    if declaration.state != DRAFT:
        raise Refused(_("The declaration is open to amendments: its articles now change only through "
                        "amendments."), 409)
    if declarations.check_wording(text) == row.text:
        return
    declarations.change_article(row, text)
    declarations.save_text(declaration, user, _("Article %(n)d changed by the committee", n=row.number))
    _journal("cdc.declaration.article_changed", declaration, article=row.number)


def open_to_amendments(declaration: Declaration) -> bool:
    """Draft → amending; False when it was already open (a second click changes nothing)."""
    declaration = _locked(declaration)
    if declaration.state == AMENDING:
        return False
    if declaration.state != DRAFT:
        raise Refused(_("The declaration is past the time of amendments."), 409)
    declaration.state = AMENDING
    _journal("cdc.declaration.opened", declaration)
    return True


def require_amending(declaration: Declaration) -> None:
    if declaration.state == DRAFT:
        raise Refused(_("The declaration is not open to amendments yet: the committee is still writing it."), 409)
    if declaration.state != AMENDING:
        raise Refused(_("The time for tabling amendments is over."), 409)


def deadline_label(declaration: Declaration) -> str:
    """The amendments' deadline as people read it (empty when there is none)."""
    from flask_babel import format_datetime

    if declaration.amendments_deadline is None:
        return ""
    return format_datetime(declaration.amendments_deadline, "d MMMM y HH:mm")


def require_tabling(declaration: Declaration) -> None:
    """Open to amendments, and the committee's deadline (if any) not passed."""
    require_amending(declaration)
    deadline = declaration.amendments_deadline
    if deadline is not None and utcnow() > deadline:
        raise Refused(_("Amendments could be tabled until %(date)s: the deadline has passed.",
                        date=deadline_label(declaration)), 409)


def set_deadline(declaration: Declaration, user, deadline: datetime | None) -> bool:
    """The committee sets (or, with None, removes) the time after which no amendment is
    tabled; False when it was already that. Supports stay open until the votes."""
    declaration = _locked(declaration)
    if declaration.state not in (DRAFT, AMENDING):
        raise Refused(_("The declaration is past the time of amendments."), 409)
    if declaration.amendments_deadline == deadline:
        return False
    declaration.amendments_deadline = deadline
    _journal("cdc.declaration.deadline_set", declaration, deadline=deadline_label(declaration))
    return True


def table(declaration: Declaration, delegation, user, *, kind: str, article_number: int | None, text: str,
          explanation: str) -> DeclarationAmendment:
    """``kind`` modify: article ``article_number`` gets ``text``; add: a new article ``text``
    after article ``article_number`` (None: at the start)."""
    declaration = _locked(declaration)
    require_tabling(declaration)
    if kind not in (KIND_MODIFY, KIND_ADD):
        raise Refused(_("Choose whether the amendment changes an article or adds one."))
    target = article(declaration, article_number) if article_number is not None else None
    if article_number is not None and target is None:
        raise Refused(_("There is no article %(n)d.", n=article_number), 422)
    if kind == KIND_MODIFY and target is None:
        raise Refused(_("Choose the article the amendment changes."))
    text = declarations.check_wording(text)
    if kind == KIND_MODIFY and text == target.text.strip():
        raise Refused(_("The new wording is the same as article %(n)d's.", n=target.number))
    explanation = (explanation or "").replace("\r\n", "\n").strip()
    if len(explanation) > EXPLANATION_MAX:
        raise Refused(_("The explanation is longer than %(n)d characters.", n=EXPLANATION_MAX))
    section = target.section if target is not None else _first_section(declaration)
    core = Amendment(document_id=declaration.document_id, paragraph=None, base_version=declaration.document.version,
                     original_text=target.text if kind == KIND_MODIFY else "", new_text=text,
                     explanation=explanation, author_id=user.id, state=AMENDMENT_PENDING)
    db.session.add(core)
    db.session.flush()
    number = declaration.next_amendment_number
    declaration.next_amendment_number = number + 1
    amendment = DeclarationAmendment(declaration_id=declaration.id, amendment_id=core.id, number=number, kind=kind,
                                     delegation_id=delegation.id, article_id=target.id if target else None,
                                     section=section if kind == KIND_ADD else "")
    db.session.add(amendment)
    db.session.flush()
    _journal("cdc.declaration.tabled", declaration, number=number, delegation=public_name(delegation))
    return amendment


def _first_section(declaration: Declaration) -> str:
    return db.session.scalar(db.select(Article.section).where(Article.declaration_id == declaration.id)
                             .order_by(Article.position).limit(1)) or ""


def toggle_support(amendment: DeclarationAmendment, delegation) -> bool:
    """The delegation supports the amendment, or takes its support back; True when it now
    supports it. One support per delegation (the table's key)."""
    declaration = _locked(amendment.declaration)
    require_amending(declaration)
    outcomes.require_open(amendment)
    if amendment.delegation_id == delegation.id:
        raise Refused(_("Your delegation tabled amendment A%(n)d: it supports it already.", n=amendment.number), 409)
    existing = db.session.get(AmendmentSupport, (amendment.id, delegation.id))
    if existing is not None:
        db.session.delete(existing)
    else:
        db.session.add(AmendmentSupport(amendment_id=amendment.id, delegation_id=delegation.id))
    db.session.flush()
    # Counted again rather than incremented: a replayed click cannot drift the number.
    amendment.supports_count = db.session.scalar(
        db.select(db.func.count()).select_from(AmendmentSupport).where(AmendmentSupport.amendment_id == amendment.id))
    if existing is None:
        _journal("cdc.declaration.supported", declaration, number=amendment.number,
                 delegation=public_name(delegation))
    return existing is None
