from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import audit
from ..consent import rounds
from ..extensions import db
from ..live.stream import event_stream
from ..loaders import circle_or_404, commune_or_404
from ..models import Circle, CircleMembershipEvent, CircleRequest, User
from ..permissions import require
from ..refusal import Refused
from ..web import replay
from ..web.forms import form_status
from . import entries, membership
from .forms import (CIRCLE_ROLE_CHOICES, AnswerForm, CircleForm, ExitProposalForm, JoinRequestForm, LeaveForm,
                    MembershipDecisionForm)


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


def _exit_form(circle, members, formdata=None) -> ExitProposalForm:
    form = ExitProposalForm(formdata=formdata, prefix="sortie")
    me = current_user.id if current_user.is_authenticated else None
    # One line per person, whatever their roles.
    form.person.choices = list({m.user_id: m.user.display_name for m in members if m.user_id != me}.items())
    return form


def _render(circle, status=200, *, form=None, join_form=None, exit_form=None, answering=None):
    """The circle's page; ``answering``: (request id, its form) sent back with an error."""
    members = membership.members(circle)
    history = db.session.scalars(
        db.select(CircleMembershipEvent).where(CircleMembershipEvent.circle_id == circle.id)
        .options(db.joinedload(CircleMembershipEvent.user))
        .order_by(CircleMembershipEvent.decided_on.desc(), CircleMembershipEvent.id.desc())
    ).all()
    open_requests = entries.open_requests(circle)
    answer_forms = {r.id: AnswerForm(formdata=None, prefix=f"r{r.id}", data=_mine(r)) for r in open_requests}
    if answering is not None:
        answer_forms[answering[0]] = answering[1]
    return render_template(
        "circles/show.html", circle=circle, commune=circle.commune, members=members, history=history,
        form=form or MembershipDecisionForm(formdata=None), role_labels=dict(CIRCLE_ROLE_CHOICES),
        open_requests=open_requests, decided=entries.decided_requests(circle), answer_forms=answer_forms,
        join_form=join_form or JoinRequestForm(formdata=None),
        exit_form=exit_form or _exit_form(circle, members), leave_form=LeaveForm(formdata=None),
        request_labels=entries.REQUEST_LABELS, answer_labels=rounds.ANSWER_LABELS,
        outcome_labels=rounds.OUTCOME_LABELS, counts=rounds.counts, clock_outcome=rounds.clock_outcome,
        is_member=current_user.is_authenticated and any(m.user_id == current_user.id for m in members)), status


def _mine(request: CircleRequest) -> dict:
    """The person's own answer, to fill their form with."""
    if not current_user.is_authenticated:
        return {}
    mine = next((a for a in request.answers if a.user_id == current_user.id), None)
    return {"answer": mine.answer, "reason": mine.reason} if mine else {}


def _announce_joined(request: CircleRequest) -> None:
    """Commit the close (the membership-changed signal follows the commit)."""
    db.session.commit()


def show(circle_id: int):
    circle = circle_or_404(circle_id)  # past its deadline a request reads as closed; the worker closes it
    return _render(circle)


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
            current = membership.role_of(circle, user.id, form.role.data)
            if form.kind.data == "join" and current is not None:
                form.email.errors.append(_("This person already holds this role in the circle."))
            elif form.kind.data == "leave" and current is None:
                form.email.errors.append(_("This person does not hold this role in the circle."))
            else:
                # First: a copy sent at the same instant stops here, not on the membership.
                replay.claim(url_for("circles.show", circle_id=circle.id))
                if form.kind.data == "join":
                    joined = membership.add(circle, user.id, form.role.data)
                else:
                    membership.remove(circle, user.id, form.role.data)
                db.session.add(CircleMembershipEvent(
                    circle_id=circle.id, user_id=user.id, kind=form.kind.data, role=form.role.data,
                    decided_on=form.decided_on.data, decision=form.decision.data.strip(),
                    recorded_by_id=current_user.id))
                audit.record(f"circle.{form.kind.data}", commune_id=circle.commune_id, target=circle.name,
                             person=user.display_name, person_id=user.id, role=form.role.data)
                db.session.commit()
                flash(_("The decision has been recorded."), "success")
                return redirect(url_for("circles.show", circle_id=circle.id))
    return _render(circle, 422, form=form)


# -- entries and exits by consent ----------------------------------------------------------

def _back(circle, anchor="entrees"):
    return redirect(url_for("circles.show", circle_id=circle.id, _anchor=anchor))


def _open_request(circle, form, field, form_name: str, open_it, done: str):
    """Validate ``form``, open the request (``open_it()``) once, or re-render the page with
    the message under ``field`` and what the person typed."""
    if not form.validate_on_submit():
        return _render(circle, 422, **{form_name: form})
    try:
        replay.claim(url_for("circles.show", circle_id=circle.id, _anchor="entrees"))
        open_it()
    except Refused as refusal:
        db.session.rollback()
        field.errors.append(refusal.message)
        return _render(circle, refusal.status, **{form_name: form})
    db.session.commit()
    flash(done, "success")
    return _back(circle)


@login_required
def ask_to_join(circle_id: int):
    circle = circle_or_404(circle_id)
    require("circle.ask_to_join", circle)
    form = JoinRequestForm()
    return _open_request(circle, form, form.message, "join_form",
                         lambda: entries.ask_to_join(circle, current_user, form.message.data),
                         _("Your request is sent: the circle's members answer it by consent."))


@login_required
def propose_exit(circle_id: int):
    circle = circle_or_404(circle_id)
    require("circle.propose_exit", circle)
    form = _exit_form(circle, membership.members(circle), formdata=None)
    form.process(formdata=request.form)
    return _open_request(circle, form, form.reason, "exit_form",
                         lambda: entries.propose_exclusion(circle, current_user, form.person.data, form.reason.data),
                         _("The proposed exit is open: the other members answer it by consent."))


def _request_of(circle, request_id: int) -> CircleRequest:
    found = db.session.get(CircleRequest, request_id)
    if found is None or found.circle_id != circle.id:
        abort(404)
    return found


@login_required
def answer(circle_id: int, request_id: int):
    circle = circle_or_404(circle_id)
    asked = _request_of(circle, request_id)
    entries.settle_if_due(asked)  # the deadline passed: the round is over (closed and committed)
    if asked.closed_at is not None:
        flash(_("This consent round is closed: answers are no longer taken."), "error")
        return _render(circle, 409)
    require("circle.answer", asked)
    form = AnswerForm(prefix=f"r{asked.id}")
    if form.validate_on_submit():
        try:
            replay.claim(url_for("circles.show", circle_id=circle.id, _anchor=f"demande-{asked.id}"))
            outcome = entries.answer(asked, current_user, form.answer.data, form.reason.data)
        except Refused as refusal:
            db.session.rollback()
            form.reason.errors.append(refusal.message)
            return _render(circle, refusal.status, answering=(asked.id, form))
        _announce_joined(asked)
        flash(_("Your answer is recorded. You may change it until the round closes.") if outcome is None
              else str(rounds.OUTCOME_LABELS[outcome]), "success")
        return _back(circle, f"demande-{asked.id}")
    return _render(circle, 422, answering=(asked.id, form))


@login_required
def leave(circle_id: int):
    circle = circle_or_404(circle_id)
    require("circle.member", circle)
    form = LeaveForm()
    if not form.validate_on_submit():
        return _render(circle, 400)
    replay.claim(url_for("circles.show", circle_id=circle.id))
    entries.leave(circle, current_user)
    db.session.commit()
    flash(_("You have left the circle."), "success")
    return redirect(url_for("circles.show", circle_id=circle.id))
