"""Signing the adopted declaration: a collective signs through its mandated delegate, with
the reference of its own decision to sign (its assembly decided; the delegate only carries
it). Nothing here commits (the request flow does, once).

Only an adopted text is signed, and it may be signed after the meeting: collectives often
decide at their next assembly. One signature per delegation — checked here for the message,
and by the table's unique key for two presses at the same instant.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from convergence import audit
from convergence.extensions import db
from convergence.refusal import Refused

from . import delegates
from .declaration_models import ADOPTED, Declaration, Signature
from .models import NAME_MAX, Delegation
from .registration import public_name


def signatories(declaration: Declaration) -> list[Signature]:
    """The collectives that signed, in the order they signed (one query)."""
    return list(db.session.scalars(db.select(Signature).where(Signature.declaration_id == declaration.id)
                                   .order_by(Signature.signed_at, Signature.id)))


def signature_of(declaration: Declaration, delegation: Delegation | None) -> Signature | None:
    if delegation is None:
        return None
    return db.session.scalar(db.select(Signature).where(Signature.declaration_id == declaration.id,
                                                        Signature.delegation_id == delegation.id))


def require_adopted(declaration: Declaration) -> None:
    if declaration.state != ADOPTED:
        raise Refused(_("The declaration is not adopted yet: it is signed once the meeting has adopted it."), 409)


def signer_delegation(declaration: Declaration, user) -> Delegation:
    """The delegation ``user`` signs for: the one whose mandate they hold."""
    delegation = delegates.delegation_of(declaration.meeting_id, user)
    if delegation is None:
        raise Refused(_("You are in no delegation registered to this meeting: only a collective's mandated "
                        "delegate signs for it."), 403)
    if not delegates.is_mandated(delegation, user):
        raise Refused(_("Only the mandated delegate of « %(name)s » signs for it.", name=public_name(delegation)),
                      403)
    return delegation


def check_reference(reference: str) -> str:
    reference = " ".join((reference or "").split())
    if not reference:
        raise Refused(_("Give the reference of your collective's decision to sign (« AG du 12 janvier »)."))
    if len(reference) > NAME_MAX:
        raise Refused(_("%(max)d characters at most.", max=NAME_MAX))
    if "\x00" in reference:
        raise Refused(_("The text holds a character that cannot be stored."))
    return reference


def sign(declaration: Declaration, user, delegation_id: int, reference: str) -> Signature:
    """``user`` signs for the delegation ``delegation_id`` — which must be the one whose
    mandate they hold (signing for another collective is refused)."""
    require_adopted(declaration)
    delegation = signer_delegation(declaration, user)
    if delegation_id != delegation.id:
        raise Refused(_("You may sign only for your own collective, « %(name)s ».", name=public_name(delegation)),
                      403)
    reference = check_reference(reference)
    if signature_of(declaration, delegation) is not None:
        raise Refused(_("« %(name)s » has already signed the declaration.", name=public_name(delegation)), 409)
    signature = Signature(declaration_id=declaration.id, delegation_id=delegation.id,
                          collective_name=public_name(delegation)[:NAME_MAX], decision_reference=reference,
                          signed_by_id=user.id)
    try:
        with db.session.begin_nested():
            db.session.add(signature)
    except IntegrityError:
        # Another press of the same delegate won the unique key meanwhile.
        raise Refused(_("« %(name)s » has already signed the declaration.", name=public_name(delegation)),
                      409) from None
    meeting = declaration.meeting
    audit.record("cdc.declaration.signed", commune_id=meeting.assembly.commune_id, target=signature.collective_name,
                 meeting=meeting.assembly.title, reference=reference)
    return signature
