from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import audit
from ..extensions import db
from ..live.stream import event_stream
from ..loaders import circle_or_404, commune_or_404
from ..models import Circle, CircleMembershipEvent, Membership, User
from ..permissions import clear_cache, require
from ..web import replay
from ..web.forms import form_status
from .forms import CIRCLE_ROLE_CHOICES, CircleForm, MembershipDecisionForm


@login_required
def create(slug: str):
    commune = commune_or_404(slug)
    require("commune.facilitate", commune)
    form = CircleForm()
    if form.validate_on_submit():
        circle = Circle(commune_id=commune.id)
        form.populate_obj(circle)
        db.session.add(circle)
        db.session.flush()
        replay.claim(url_for("circles.show", circle_id=circle.id))
        audit.record("circle.created", commune_id=commune.id, target=circle.name)
        db.session.commit()
        flash(_("The circle has been created."), "success")
        return redirect(url_for("circles.show", circle_id=circle.id))
    return render_template("circles/form.html", form=form, commune=commune, circle=None), form_status(form)


def _render(circle, form, status=200):
    members = db.session.scalars(
        db.select(Membership).where(Membership.space_id == circle.space_id)
        .options(db.joinedload(Membership.user)).order_by(Membership.role, Membership.id)
    ).all()
    history = db.session.scalars(
        db.select(CircleMembershipEvent).where(CircleMembershipEvent.circle_id == circle.id)
        .options(db.joinedload(CircleMembershipEvent.user))
        .order_by(CircleMembershipEvent.decided_on.desc(), CircleMembershipEvent.id.desc())
    ).all()
    return render_template("circles/show.html", circle=circle, commune=circle.commune, members=members,
                           history=history, form=form, role_labels=dict(CIRCLE_ROLE_CHOICES)), status


def show(circle_id: int):
    return _render(circle_or_404(circle_id), MembershipDecisionForm())


def stream(circle_id: int):
    """The circle's live channel (server-sent events), for pages of the circle's activity."""
    circle = circle_or_404(circle_id)
    require("circle.view", circle)
    return event_stream(circle)


@login_required
def edit(circle_id: int):
    circle = circle_or_404(circle_id)
    require("circle.facilitate", circle)
    form = CircleForm(obj=circle)
    if form.validate_on_submit():
        form.populate_obj(circle)
        audit.record("circle.edited", commune_id=circle.commune_id, target=circle.name)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for("circles.show", circle_id=circle.id))
    return render_template("circles/form.html", form=form, commune=circle.commune, circle=circle), form_status(form)


@login_required
def record_decision(circle_id: int):
    """Record an entry into or an exit from the circle, decided by consent."""
    circle = circle_or_404(circle_id)
    require("circle.facilitate", circle)
    form = MembershipDecisionForm()
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).where(User.email == form.email.data.strip().lower()))
        if user is None:
            form.email.errors.append(_("No account uses this e-mail address."))
        else:
            current = db.session.scalar(db.select(Membership).where(
                Membership.space_id == circle.space_id, Membership.user_id == user.id,
                Membership.role == form.role.data))
            if form.kind.data == "join" and current is not None:
                form.email.errors.append(_("This person already holds this role in the circle."))
            elif form.kind.data == "leave" and current is None:
                form.email.errors.append(_("This person does not hold this role in the circle."))
            else:
                # First: a copy sent at the same instant stops here, not on the membership.
                replay.claim(url_for("circles.show", circle_id=circle.id))
                if form.kind.data == "join":
                    membership = Membership(user_id=user.id, space_id=circle.space_id, role=form.role.data)
                    db.session.add(membership)
                else:
                    db.session.delete(current)
                db.session.add(CircleMembershipEvent(
                    circle_id=circle.id, user_id=user.id, kind=form.kind.data, role=form.role.data,
                    decided_on=form.decided_on.data, decision=form.decision.data.strip(),
                    recorded_by_id=current_user.id))
                audit.record(f"circle.{form.kind.data}", commune_id=circle.commune_id, target=circle.name,
                             person=user.display_name, person_id=user.id, role=form.role.data)
                db.session.commit()
                clear_cache()
                flash(_("The decision has been recorded."), "success")
                return redirect(url_for("circles.show", circle_id=circle.id))
    return _render(circle, form, 422)
