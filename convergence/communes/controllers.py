"""The pages of a commune: the list, creating and editing one, its members and roles, its
journal — each a handler of the one request flow (convergence/web/handlers.py)."""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..extensions import db
from ..invitations.roles import offer_role
from ..models import Assembly, AuditEntry, Circle, Commune, Invitation, Membership, Neighbourhood
from ..models.base import utcnow
from ..permissions import can
from ..refusal import Refused
from ..web import replay
from ..web.downloads import json_download
from ..web.forms import ConfirmForm, require_confirmed_post
from ..web.handlers import Handler, route
from ..web.pages import CommunePage, FormPage
from .forms import ROLE_CHOICES, CommuneForm, RoleForm

bp = Blueprint("communes", __name__, url_prefix="/communes")


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


@route(bp, "/", "index")
class Index(Handler):
    def get(self):
        communes = db.session.scalars(db.select(Commune).order_by(Commune.name)).all()
        return render_template("communes/index.html", communes=communes)


@route(bp, "/nouvelle", "create", methods=("GET", "POST"))
class Create(FormPage):
    login_required = True
    permission = "commune.create"
    form_class, template = CommuneForm, "communes/form.html"

    def context(self) -> dict:
        return {"commune": None}

    def save(self, form):
        slug = form.slug.data or slugify(form.name.data)
        if db.session.scalar(db.select(Commune.id).where(Commune.slug == slug)) is not None:
            form.slug.errors.append(_("This short address is already taken."))
            return self.invalid()
        replay.claim(url_for("communes.show", slug=slug))
        commune = Commune(slug=slug, name=form.name.data.strip(), kind=form.kind.data,
                          description=form.description.data or "",
                          latitude=form.latitude.data, longitude=form.longitude.data)
        commune.neighbourhoods = [Neighbourhood(name=n) for n in _neighbourhood_names(form.neighbourhoods.data)]
        db.session.add(commune)
        db.session.flush()
        db.session.add(Membership(user_id=current_user.id, space_id=commune.space_id, role="admin"))
        audit.record("commune.created", commune_id=commune.id, target=commune.name)
        flash(_("The commune has been created."), "success")
        return redirect(url_for("communes.show", slug=commune.slug))


@route(bp, "/<slug>", "show")
class Show(CommunePage):
    def get(self):
        commune = self.commune
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


@route(bp, "/<slug>/modifier", "edit", methods=("GET", "POST"))
class Edit(FormPage, CommunePage):
    login_required = True
    permission = "commune.manage"
    template = "communes/form.html"

    def page_form(self) -> CommuneForm:
        form = self.form(CommuneForm, obj=self.commune)
        # ``obj=`` filled the field with the relationship's objects (same name): the form
        # shows their names instead, and a post that leaves the field out keeps them.
        if not form.neighbourhoods.raw_data and not isinstance(form.neighbourhoods.data, str):
            form.neighbourhoods.data = "\n".join(n.name for n in self.commune.neighbourhoods)
        return form

    def context(self) -> dict:
        return {"commune": self.commune}

    def save(self, form):
        commune = self.commune
        slug = form.slug.data or commune.slug
        taken = db.session.scalar(db.select(Commune.id).where(Commune.slug == slug, Commune.id != commune.id))
        if taken is not None:
            form.slug.errors.append(_("This short address is already taken."))
            return self.invalid()
        commune.slug, commune.name, commune.kind = slug, form.name.data.strip(), form.kind.data
        commune.description = form.description.data or ""
        commune.latitude, commune.longitude = form.latitude.data, form.longitude.data
        wanted = _neighbourhood_names(form.neighbourhoods.data)
        existing = {n.name: n for n in commune.neighbourhoods}
        commune.neighbourhoods = [existing.get(name) or Neighbourhood(name=name) for name in wanted]
        audit.record("commune.edited", commune_id=commune.id, target=commune.name)
        flash(_("Changes saved."), "success")
        return redirect(url_for("communes.show", slug=commune.slug))


@route(bp, "/<slug>/membres", "members")
class Members(CommunePage):
    login_required = True
    permission = "commune.member"
    posts = "RoleForm"  # the form a POST of this page sends (the role offered)

    def get(self):
        return self.render()

    def render(self):
        commune = self.commune
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
                               form=self.form(RoleForm), remove_form=ConfirmForm(formdata=None))


@route(bp, "/<slug>/membres/roles", "add_role", methods=("POST",))
class AddRole(Members):
    permission = "commune.manage"

    def post(self):
        form = self.form(RoleForm)
        if not form.validate():
            return self.invalid()
        role_label = dict(ROLE_CHOICES)[form.role.data]
        offer_role(self.commune, form.email.data.strip().lower(), form.role.data, role_label, current_user)
        # The same answer whether or not the address has an account.
        flash(_("An invitation has been sent to this address: the role is given once the person accepts it."),
              "success")
        return redirect(url_for("communes.members", slug=self.commune.slug))


@route(bp, "/<slug>/membres/roles/<int:membership_id>/retirer", "remove_role", methods=("POST",))
class RemoveRole(Members):
    permission = "commune.manage"
    posts = ()

    def load(self, slug: str, membership_id: int):
        commune = super().load(slug)
        self.membership = db.session.get(Membership, membership_id)
        if self.membership is None or self.membership.space_id != commune.space_id:
            abort(404)
        return commune

    def post(self):
        require_confirmed_post()
        commune, membership = self.commune, self.membership
        if membership.role == "admin":
            admins = db.session.scalar(db.select(db.func.count()).select_from(Membership).where(
                Membership.space_id == commune.space_id, Membership.role == "admin"))
            if admins <= 1:
                raise Refused(_("A commune keeps at least one administrator."), 409)
        audit.record("role.withdrawn", commune_id=commune.id, target=membership.user.display_name,
                     role=membership.role, person_id=membership.user_id)
        db.session.delete(membership)
        flash(_("The role has been withdrawn."), "success")
        return redirect(url_for("communes.members", slug=commune.slug))


@route(bp, "/<slug>/journal", "journal")
class Journal(CommunePage):
    def get(self):
        # The chain's order is the order of the commits (two acts recorded at the same time
        # are chained as they commit), the newest first; an entry not chained comes first.
        entries = db.session.scalars(
            db.select(AuditEntry).where(AuditEntry.commune_id == self.commune.id)
            .options(db.joinedload(AuditEntry.actor))
            .order_by(AuditEntry.sequence.is_(None).desc(), AuditEntry.sequence.desc(), AuditEntry.id.desc())
            .limit(200)
        ).all()
        # Recomputed at each view, from every entry of the chain (one query, SHA-256 per entry).
        return render_template("communes/journal.html", commune=self.commune, entries=entries,
                               verdict=audit.verify(self.commune.id), reasons=audit.REASONS)


@route(bp, "/<slug>/journal.json", "journal_json")
class JournalExport(CommunePage):
    """The whole chain, with everything needed to recompute each hash (README, « Journal of
    decisions »)."""

    def get(self):
        data = audit.export(self.commune.id)
        data["commune"] = {"id": self.commune.id, "slug": self.commune.slug, "name": self.commune.name}
        return json_download(data, f"journal-{self.commune.slug}.json")
