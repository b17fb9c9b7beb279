from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import audit
from ..extensions import db
from ..models import CircleMembershipEvent, Invitation, Membership
from ..models.base import utcnow
from ..permissions import clear_cache, require
from ..spaces import space_from_args, space_of
from ..web.errors import abort_with
from ..web import replay
from ..web.forms import ConfirmForm, form_status, require_confirmed_post
from ..web.links import absolute_url
from .forms import InvitationForm
from .qr import qr_svg
from .roles import is_addressee


@login_required
def create():
    space = space_from_args(request.args)
    if space is None:
        abort_with(400, _("Say which commune, assembly or circle the invitation opens."))
    require("space.facilitate", space)
    form = InvitationForm()
    if form.validate_on_submit():
        invitation = Invitation(
            token=secrets.token_urlsafe(18), role=space.kind_info.default_role, label=form.label.data or "",
            created_by_id=current_user.id, max_uses=form.max_uses.data,
            expires_at=utcnow() + timedelta(days=form.valid_days.data or 7), space_id=space.id)
        db.session.add(invitation)
        db.session.flush()
        replay.claim(url_for("invitations.show", invitation_id=invitation.id))
        audit.record("invitation.created", commune_id=space.commune_id, target=space.title,
                     invitation=invitation.id)
        db.session.commit()
        return redirect(url_for("invitations.show", invitation_id=invitation.id))
    return render_template("invitations/form.html", form=form, space=space), form_status(form)


def _invitation_or_404(invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


@login_required
def show(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    space = space_of(invitation)
    require("space.facilitate", space)
    link = absolute_url("invitations.join", token=invitation.token)
    return render_template("invitations/show.html", invitation=invitation, space=space, link=link,
                           printable=request.args.get("imprimer") == "1", revoke_form=ConfirmForm())


@login_required
def qr(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    space = space_of(invitation)
    require("space.facilitate", space)
    svg = qr_svg(absolute_url("invitations.join", token=invitation.token))
    return Response(svg, mimetype="image/svg+xml")


@login_required
def revoke(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    space = space_of(invitation)
    require("space.facilitate", space)
    require_confirmed_post()
    invitation.revoked = True
    invitation.email = None  # a withdrawn offer keeps no address
    audit.record("invitation.revoked", commune_id=space.commune_id, target=space.title, invitation=invitation.id)
    db.session.commit()
    flash(_("The invitation has been withdrawn."), "success")
    return redirect(space.url)


def _check_usable(invitation: Invitation, space) -> None:
    if invitation.revoked:
        abort_with(410, _("This invitation has been withdrawn."))
    if invitation.expires_at and invitation.expires_at < utcnow():
        abort_with(410, _("This invitation has expired. Ask the facilitators for a new one."))
    if invitation.max_uses is not None and invitation.uses >= invitation.max_uses:
        abort_with(410, _("This invitation has already been used by as many people as planned."))
    if getattr(space.owner, "is_closed", False):
        abort_with(410, _("This assembly is closed: it no longer accepts participants."))


def join(token: str):
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.token == token))
    if invitation is None:
        abort_with(404, _("This invitation does not exist. Check the link or ask the facilitators."))
    space = space_of(invitation)
    _check_usable(invitation, space)
    form = ConfirmForm()
    if request.method == "POST":
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login", next=request.path))
        require_confirmed_post()
        if not is_addressee(invitation, current_user):
            abort_with(403, _("This invitation was sent to another e-mail address: log in with the account "
                              "of that address to accept it."))
        exists = db.session.scalar(db.select(Membership.id).where(
            Membership.user_id == current_user.id, Membership.role == invitation.role,
            Membership.space_id == space.id))
        if exists is None:
            membership = Membership(user_id=current_user.id, role=invitation.role, space_id=space.id)
            # Counted in the database, with the limit in the same statement, so two people
            # joining at once can never both take the last place.
            taken = db.session.execute(
                db.update(Invitation)
                .where(Invitation.id == invitation.id,
                       db.or_(Invitation.max_uses.is_(None), Invitation.uses < Invitation.max_uses))
                .values(uses=Invitation.uses + 1)
            ).rowcount
            if not taken:
                db.session.rollback()
                abort_with(410, _("This invitation has already been used by as many people as planned."))
            db.session.add(membership)
            if invitation.email is not None:
                # Accepted: the address has served its purpose.
                invitation.email = None
                audit.record("role.given", commune_id=space.commune_id, target=current_user.display_name,
                             role=invitation.role, person_id=current_user.id)
            if space.kind == "circle":
                db.session.add(CircleMembershipEvent(
                    circle_id=space.owner.id, user_id=current_user.id, kind="join", role=invitation.role,
                    decided_on=utcnow().date(), decision=_("Invitation « %(label)s »", label=invitation.label)))
            db.session.commit()
            clear_cache()
        flash(_("You have joined « %(name)s ».", name=space.title), "success")
        return redirect(space.url)
    return render_template("invitations/join.html", invitation=invitation, space=space, form=form,
                           addressee=not current_user.is_authenticated or is_addressee(invitation, current_user))
