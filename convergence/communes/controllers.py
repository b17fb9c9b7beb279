from __future__ import annotations

import re
import unicodedata

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import audit
from ..extensions import db
from ..invitations.roles import offer_role
from ..loaders import commune_or_404
from ..models import Assembly, AuditEntry, Circle, Commune, Invitation, Membership, Neighbourhood
from ..models.base import utcnow
from ..permissions import can, require
from ..web.errors import abort_with
from ..web import replay
from ..web.forms import ConfirmForm, form_status, require_confirmed_post
from .forms import ROLE_CHOICES, CommuneForm, RoleForm


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "commune"


def _neighbourhood_names(raw: str | None) -> list[str]:
    seen: dict[str, str] = {}
    for line in (raw or "").splitlines():
        name = line.strip()[:120]
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def index():
    communes = db.session.scalars(db.select(Commune).order_by(Commune.name)).all()
    return render_template("communes/index.html", communes=communes)


@login_required
def create():
    require("commune.create")
    form = CommuneForm()
    if form.validate_on_submit():
        slug = form.slug.data or slugify(form.name.data)
        if db.session.scalar(db.select(Commune.id).where(Commune.slug == slug)) is not None:
            form.slug.errors.append(_("This short address is already taken."))
        else:
            replay.claim(url_for("communes.show", slug=slug))
            commune = Commune(slug=slug, name=form.name.data.strip(), kind=form.kind.data,
                              description=form.description.data or "",
                              latitude=form.latitude.data, longitude=form.longitude.data)
            commune.neighbourhoods = [Neighbourhood(name=n) for n in _neighbourhood_names(form.neighbourhoods.data)]
            db.session.add(commune)
            db.session.flush()
            db.session.add(Membership(user_id=current_user.id, space_id=commune.space_id, role="admin"))
            audit.record("commune.created", commune_id=commune.id, target=commune.name)
            db.session.commit()
            flash(_("The commune has been created."), "success")
            return redirect(url_for("communes.show", slug=commune.slug))
    return render_template("communes/form.html", form=form, commune=None), form_status(form)


def show(slug: str):
    commune = commune_or_404(slug)
    assemblies = db.session.scalars(
        db.select(Assembly).where(Assembly.commune_id == commune.id).order_by(Assembly.starts_at.desc())
    ).all()
    circles = db.session.scalars(
        db.select(Circle).where(Circle.commune_id == commune.id).order_by(Circle.name)
    ).all()
    member_count = db.session.scalar(
        db.select(db.func.count(db.distinct(Membership.user_id))).where(Membership.space_id == commune.space_id)
    )
    return render_template("communes/show.html", commune=commune, assemblies=assemblies,
                           circles=circles, member_count=member_count)


@login_required
def edit(slug: str):
    commune = commune_or_404(slug)
    require("commune.manage", commune)
    form = CommuneForm(obj=commune)
    # ``obj=`` filled the field with the relationship's objects (same name): the form shows
    # their names instead, and a post that leaves the field out keeps them.
    if not form.neighbourhoods.raw_data:
        form.neighbourhoods.data = "\n".join(n.name for n in commune.neighbourhoods)
    if form.validate_on_submit():
        slug = form.slug.data or commune.slug
        taken = db.session.scalar(db.select(Commune.id).where(Commune.slug == slug, Commune.id != commune.id))
        if taken is not None:
            form.slug.errors.append(_("This short address is already taken."))
        else:
            commune.slug, commune.name, commune.kind = slug, form.name.data.strip(), form.kind.data
            commune.description = form.description.data or ""
            commune.latitude, commune.longitude = form.latitude.data, form.longitude.data
            wanted = _neighbourhood_names(form.neighbourhoods.data)
            existing = {n.name: n for n in commune.neighbourhoods}
            commune.neighbourhoods = [existing.get(name) or Neighbourhood(name=name) for name in wanted]
            audit.record("commune.edited", commune_id=commune.id, target=commune.name)
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("communes.show", slug=commune.slug))
    return render_template("communes/form.html", form=form, commune=commune), form_status(form)


def members(slug: str):
    commune = commune_or_404(slug)
    require("commune.member", commune)
    rows = db.session.scalars(
        db.select(Membership).where(Membership.space_id == commune.space_id)
        .options(db.joinedload(Membership.user)).order_by(Membership.role, Membership.id)
    ).all()
    offered = db.session.scalars(
        db.select(Invitation).where(Invitation.space_id == commune.space_id, Invitation.email.is_not(None),
                                    Invitation.revoked.is_(False), Invitation.uses == 0,
                                    Invitation.expires_at > utcnow())
        .order_by(Invitation.id)
    ).all() if can("commune.manage", commune) else []
    return render_template("communes/members.html", commune=commune, memberships=rows, offered=offered,
                           form=RoleForm(), remove_form=ConfirmForm())


@login_required
def add_role(slug: str):
    commune = commune_or_404(slug)
    require("commune.manage", commune)
    form = RoleForm()
    if not form.validate_on_submit():
        abort_with(422, _("Give a valid e-mail address and role."))
    role_label = dict(ROLE_CHOICES)[form.role.data]
    offer_role(commune, form.email.data.strip().lower(), form.role.data, role_label, current_user)
    # The same answer whether or not the address has an account.
    flash(_("An invitation has been sent to this address: the role is given once the person accepts it."),
          "success")
    return redirect(url_for("communes.members", slug=commune.slug))


@login_required
def remove_role(slug: str, membership_id: int):
    commune = commune_or_404(slug)
    require("commune.manage", commune)
    require_confirmed_post()
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.space_id != commune.space_id:
        abort_with(404, _("This role does not exist."))
    if membership.role == "admin":
        admins = db.session.scalar(db.select(db.func.count()).select_from(Membership).where(
            Membership.space_id == commune.space_id, Membership.role == "admin"))
        if admins <= 1:
            abort_with(409, _("A commune keeps at least one administrator."))
    audit.record("role.withdrawn", commune_id=commune.id, target=membership.user.display_name, role=membership.role,
                 person_id=membership.user_id)
    db.session.delete(membership)
    db.session.commit()
    flash(_("The role has been withdrawn."), "success")
    return redirect(url_for("communes.members", slug=commune.slug))


def journal(slug: str):
    commune = commune_or_404(slug)
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.commune_id == commune.id)
        .options(db.joinedload(AuditEntry.actor)).order_by(AuditEntry.created_at.desc()).limit(200)
    ).all()
    return render_template("communes/journal.html", commune=commune, entries=entries)
