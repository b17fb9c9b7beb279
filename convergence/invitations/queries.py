from __future__ import annotations

from ..extensions import db
from ..models import Invitation
from ..models.base import utcnow


def usable_invitation(assembly) -> Invitation | None:
    """The newest invitation to ``assembly`` that still lets people in."""
    return db.session.scalar(
        db.select(Invitation)
        .where(Invitation.space_id == assembly.space_id, Invitation.revoked.is_(False),
               db.or_(Invitation.expires_at.is_(None), Invitation.expires_at > utcnow()),
               db.or_(Invitation.max_uses.is_(None), Invitation.uses < Invitation.max_uses))
        .order_by(Invitation.id.desc())
        .limit(1)
    )
