"""Invitations to a space: creating one, its page and QR code, withdrawing it, and the
page that accepts it — each a handler of the one request flow (convergence/web/handlers.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..extensions import db, on_commit
from ..models import CircleMembershipEvent, Invitation, Membership
from ..models.base import utcnow
from ..permissions import clear_cache
from ..refusal import Refused
from ..spaces import space_from_args, space_of
from ..web import replay
from ..web.errors import abort_with
from ..web.forms import ConfirmForm, require_confirmed_post
from ..web.handlers import Handler, route
from ..web.pages import FormPage
from ..web.links import absolute_url
from .forms import InvitationForm
from .qr import qr_svg
from .roles import is_addressee

bp = Blueprint("invitations", __name__)


@route(bp, "/invitations/nouvelle", "create", methods=("GET", "POST"))
class Create(FormPage):
    login_required = True
    permission = "space.facilitate"
    form_class, template = InvitationForm, "invitations/form.html"

    def load(self):
        space = space_from_args(request.args)
        if space is None:
            abort_with(400, _("Say which commune, assembly or circle the invitation opens."))
        return space

    def context(self) -> dict:
        return {"space": self.space}

    def save(self, form):
        space = self.space
        invitation = Invitation(
            token=secrets.token_urlsafe(18), role=space.kind_info.default_role, label=form.label.data or "",
            created_by_id=current_user.id, max_uses=form.max_uses.data,
            expires_at=utcnow() + timedelta(days=form.valid_days.data or 7), space_id=space.id)
        db.session.add(invitation)
        db.session.flush()
        replay.claim(url_for("invitations.show", invitation_id=invitation.id))
        audit.record("invitation.created", commune_id=space.commune_id, target=space.title,
                     invitation=invitation.id)
        return redirect(url_for("invitations.show", invitation_id=invitation.id))


class InvitationPage(Handler):
    """A page of one invitation, for the facilitators of its space."""

    login_required = True
    permission = "space.facilitate"

    def load(self, invitation_id: int):
        self.invitation = db.session.get(Invitation, invitation_id)
        if self.invitation is None:
            abort(404)
        return space_of(self.invitation)


@route(bp, "/invitations/<int:invitation_id>", "show")
class Show(InvitationPage):
    def get(self):
        link = absolute_url("invitations.join", token=self.invitation.token)
        return render_template("invitations/show.html", invitation=self.invitation, space=self.space, link=link,
                               printable=request.args.get("imprimer") == "1", revoke_form=ConfirmForm(formdata=None))


@route(bp, "/invitations/<int:invitation_id>/qr.svg", "qr")
class Qr(InvitationPage):
    def get(self):
        return Response(qr_svg(absolute_url("invitations.join", token=self.invitation.token)),
                        mimetype="image/svg+xml")


@route(bp, "/invitations/<int:invitation_id>/retirer", "revoke", methods=("POST",))
class Revoke(InvitationPage):
    def post(self):
        require_confirmed_post()
        invitation, space = self.invitation, self.space
        invitation.revoked = True
        invitation.email = None  # a withdrawn offer keeps no address
        audit.record("invitation.revoked", commune_id=space.commune_id, target=space.title,
                     invitation=invitation.id)
        flash(_("The invitation has been withdrawn."), "success")
        return redirect(space.url)


@route(bp, "/i/<token>", "join", methods=("GET", "POST"))
class Join(Handler):
    """Accepting an invitation: a refusal (already used up, sent to another address) is
    said on the invitation's own page."""

    def load(self, token: str):
        self.invitation = db.session.scalar(db.select(Invitation).where(Invitation.token == token))
        if self.invitation is None:
            abort_with(404, _("This invitation does not exist. Check the link or ask the facilitators."))
        space = space_of(self.invitation)
        self._check_usable(space)
        return space

    def _check_usable(self, space) -> None:
        invitation = self.invitation
        if invitation.revoked:
            abort_with(410, _("This invitation has been withdrawn."))
        if invitation.expires_at and invitation.expires_at < utcnow():
            abort_with(410, _("This invitation has expired. Ask the facilitators for a new one."))
        if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
            abort_with(410, _("This invitation has already been used by as many people as planned."))
        if getattr(space.owner, "is_closed", False):
            abort_with(410, _("This assembly is closed: it no longer accepts participants."))

    def get(self):
        return self.render()

    def render(self):
        return render_template("invitations/join.html", invitation=self.invitation, space=self.space,
                               form=ConfirmForm(formdata=None),
                               addressee=not current_user.is_authenticated
                               or is_addressee(self.invitation, current_user))

    def post(self):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.path))
        require_confirmed_post()
        invitation, space = self.invitation, self.space
        if not is_addressee(invitation, current_user):
            raise Refused(_("This invitation was sent to another e-mail address: log in with the account "
                            "of that address to accept it."), 403)
        exists = db.session.scalar(db.select(Membership.id).where(
            Membership.user_id == current_user.id, Membership.role == invitation.role,
            Membership.space_id == space.id))
        if exists is None:
            # Counted in the database, with the limit in the same statement, so two people
            # joining at once can never both take the last place.
            taken = db.session.execute(
                db.update(Invitation)
                .where(Invitation.id == invitation.id,
                       db.or_(Invitation.max_uses.is_(None), Invitation.uses < Invitation.max_uses))
                .values(uses=Invitation.uses + 1)
            ).rowcount
            if not taken:  # the last place went to someone else meanwhile: said on this page
                raise Refused(_("This invitation has already been used by as many people as planned."), 410)
            db.session.add(Membership(user_id=current_user.id, role=invitation.role, space_id=space.id))
            if invitation.email is not None:
                # Accepted: the address has served its purpose.
                invitation.email = None
                audit.record("role.given", commune_id=space.commune_id, target=current_user.display_name,
                             role=invitation.role, person_id=current_user.id)
            if space.kind == "circle":
                db.session.add(CircleMembershipEvent(
                    circle_id=space.owner.id, user_id=current_user.id, kind="join", role=invitation.role,
                    decided_on=utcnow().date(), decision=_("Invitation « %(label)s »", label=invitation.label)))
            on_commit(db.session, clear_cache)
        flash(_("You have joined « %(name)s ».", name=space.title), "success")
        return redirect(space.url)
