"""A role offered by e-mail: nobody is given a role without accepting it.

The roles form of a commune never looks the address up: whether or not it has an account,
the same invitation is mailed and the same answer shown, so the form reveals nothing about
who has an account. The role is given on the invitation's page (``/i/<token>``), by the
account with that address only.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from .. import audit
from ..accounts.mail import send_mail
from ..extensions import db
from ..models import Commune, Invitation
from ..models.base import utcnow
from ..web.links import absolute_url

VALID_DAYS = 14


def pending_role_invitation(commune: Commune, email: str, role: str) -> Invitation | None:
    return db.session.scalar(
        db.select(Invitation).where(
            Invitation.space_id == commune.space_id, Invitation.email == email, Invitation.role == role,
            Invitation.revoked.is_(False), Invitation.uses == 0, Invitation.expires_at > utcnow())
        .order_by(Invitation.id.desc()).limit(1))


def offer_role(commune: Commune, email: str, role: str, role_label: str, invited_by) -> Invitation:
    """Mail ``email`` an invitation to take ``role`` in the commune (the mail leaves after
    the caller's commit). Offering the same role again sends the same link again rather
    than a second invitation."""
    forget_stale_addresses()
    invitation = pending_role_invitation(commune, email, role)
    if invitation is None:
        invitation = Invitation(token=secrets.token_urlsafe(18), space_id=commune.space_id, role=role, email=email,
                                max_uses=1, created_by_id=invited_by.id,
                                expires_at=utcnow() + timedelta(days=VALID_DAYS))
        db.session.add(invitation)
        db.session.flush()
        # Neither the address nor a name: the journal is public.
        audit.record("role.offered", commune_id=commune.id, target=commune.name, role=role,
                     invitation=invitation.id)
    link = absolute_url("invitations.join", token=invitation.token)
    # The addressee's language is unknown (they may have no account): French, the default.
    with force_locale("fr"):
        send_mail(email, _("Invitation to a role in %(commune)s", commune=commune.name),
                  _("%(name)s invites you to take the role « %(role)s » in %(commune)s on Convergence.\n\n"
                    "To accept it, open this link within %(days)d days, and log in or create an account "
                    "with this address:\n\n%(link)s\n\nIf you do not want this role, ignore this message.",
                    name=invited_by.display_name, role=role_label, commune=commune.name, days=VALID_DAYS,
                    link=link))
    return invitation


def forget_stale_addresses() -> None:
    """An offer withdrawn or expired can no longer be accepted: its address goes."""
    db.session.execute(db.update(Invitation).where(
        Invitation.email.is_not(None), db.or_(Invitation.revoked.is_(True), Invitation.expires_at < utcnow()))
        .values(email=None).execution_options(synchronize_session=False))


def is_addressee(invitation: Invitation, user) -> bool:
    """Whether ``user`` may accept the invitation: anyone for an open link, the account
    with the invited address for a role offered by e-mail."""
    return invitation.email is None or invitation.email == (user.email or "").strip().lower()
