"""A thematic circle's pages: creating and editing it, its page with its members, its
entries and exits by consent, and the actions on them — each a handler of the one request
flow (convergence/web/handlers.py). Every action is answered on the circle's page: a
refused one draws it again with the message next to the field and what was typed."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import audit
from ..consent import rounds
from ..extensions import db
from ..live.stream import event_stream
from ..loaders import circle_or_404
from ..models import Circle, CircleMembershipEvent, CircleRequest, User
from ..permissions import require
from ..refusal import Refused
from ..web import replay
from ..web.handlers import WRITING, Handler, route
from ..web.pages import CommunePage, FormPage
from . import entries, membership
from .forms import (CIRCLE_ROLE_CHOICES, AnswerForm, CircleForm, ExitProposalForm, JoinRequestForm, LeaveForm,
                    MembershipDecisionForm)

bp = Blueprint("circles", __name__)


@route(bp, "/communes/<slug>/cercles/nouveau", "create", methods=("GET", "POST"))
class Create(FormPage, CommunePage):
    login_required = True
    permission = "commune.facilitate"
    form_class, template = CircleForm, "circles/form.html"

    def context(self) -> dict:
        return {"commune": self.commune, "circle": None}

    def save(self, form):
        circle = Circle(commune_id=self.commune.id)
        form.populate_obj(circle)
        db.session.add(circle)
        db.session.flush()
        replay.claim(url_for("circles.show", circle_id=circle.id))
        audit.record("circle.created", commune_id=self.commune.id, target=circle.name)
        flash(_("The circle has been created."), "success")
        return redirect(url_for("circles.show", circle_id=circle.id))


class CirclePage(Handler):
    """The circle's page; its actions subclass it, so a refusal draws it again."""

    posts = ()

    def load(self, circle_id: int, **_rest):
        self.circle = circle_or_404(circle_id)  # past its deadline a request reads as closed
        return self.circle

    def get(self):
        return self.render()

    def exit_form(self, members) -> ExitProposalForm:
        form = self.form(ExitProposalForm, prefix="sortie")
        me = current_user.id if current_user.is_authenticated else None
        # One line per person, whatever their roles.
        form.person.choices = list({m.user_id: m.user.display_name for m in members if m.user_id != me}.items())
        return form

    def answer_form(self, asked: CircleRequest) -> AnswerForm:
        name = f"r{asked.id}"
        # The person's own answer fills their form, unless it is the one they just sent.
        mine = {} if request.method in WRITING and self.posts == name else {"data": _mine(asked)}
        return self.form(AnswerForm, name=name, prefix=name, **mine)

    def render(self):
        circle = self.circle
        members = membership.members(circle)
        history = db.session.scalars(
            db.select(CircleMembershipEvent).where(CircleMembershipEvent.circle_id == circle.id)
            .options(db.joinedload(CircleMembershipEvent.user))
            .order_by(CircleMembershipEvent.decided_on.desc(), CircleMembershipEvent.id.desc())
        ).all()
        open_requests = entries.open_requests(circle)
        return render_template(
            "circles/show.html", circle=circle, commune=circle.commune, members=members, history=history,
            form=self.form(MembershipDecisionForm), role_labels=dict(CIRCLE_ROLE_CHOICES),
            open_requests=open_requests, decided=entries.decided_requests(circle),
            answer_forms={r.id: self.answer_form(r) for r in open_requests},
            join_form=self.form(JoinRequestForm), exit_form=self.exit_form(members),
            leave_form=self.form(LeaveForm), request_labels=entries.REQUEST_LABELS,
            answer_labels=rounds.ANSWER_LABELS, outcome_labels=rounds.OUTCOME_LABELS, counts=rounds.counts,
            clock_outcome=rounds.clock_outcome,
            is_member=current_user.is_authenticated and any(m.user_id == current_user.id for m in members))

    def back(self, anchor: str | None = "entrees"):
        return redirect(url_for("circles.show", circle_id=self.circle.id, _anchor=anchor))


def _mine(request: CircleRequest) -> dict:
    """The person's own answer, to fill their form with."""
    if not current_user.is_authenticated:
        return {}
    mine = next((a for a in request.answers if a.user_id == current_user.id), None)
    return {"answer": mine.answer, "reason": mine.reason} if mine else {}


@route(bp, "/cercles/<int:circle_id>", "show")
class Show(CirclePage):
    pass


@route(bp, "/cercles/<int:circle_id>/direct", "stream")
class Stream(CirclePage):
    """The circle's live channel (server-sent events), for pages of the circle's activity."""

    permission = "circle.view"

    def get(self):
        return event_stream(self.circle)


@route(bp, "/cercles/<int:circle_id>/modifier", "edit", methods=("GET", "POST"))
class Edit(FormPage, CirclePage):
    login_required = True
    permission = "circle.facilitate"
    posts = "CircleForm"
    template = "circles/form.html"

    def page_form(self) -> CircleForm:
        return self.form(CircleForm, obj=self.circle)

    def context(self) -> dict:
        return {"commune": self.circle.commune, "circle": self.circle}

    def save(self, form):
        form.populate_obj(self.circle)
        audit.record("circle.edited", commune_id=self.circle.commune_id, target=self.circle.name)
        flash(_("Changes saved."), "success")
        return self.back(None)


@route(bp, "/cercles/<int:circle_id>/decisions", "record_decision", methods=("POST",))
class RecordDecision(CirclePage):
    """Record an entry into or an exit from the circle, decided by consent in a meeting."""

    login_required = True
    permission = "circle.facilitate"
    posts = "MembershipDecisionForm"

    def post(self):
        form, circle = self.form(MembershipDecisionForm), self.circle
        if not form.validate():
            return self.invalid()
        user = db.session.scalar(db.select(User).where(User.email == form.email.data.strip().lower()))
        if user is None:
            form.email.errors.append(_("No account uses this e-mail address."))
            return self.invalid()
        current = membership.role_of(circle, user.id, form.role.data)
        if form.kind.data == "join" and current is not None:
            form.email.errors.append(_("This person already holds this role in the circle."))
            return self.invalid()
        if form.kind.data == "leave" and current is None:
            form.email.errors.append(_("This person does not hold this role in the circle."))
            return self.invalid()
        # First: a copy sent at the same instant stops here, not on the membership.
        replay.claim(url_for("circles.show", circle_id=circle.id))
        if form.kind.data == "join":
            membership.add(circle, user.id, form.role.data)
        else:
            membership.remove(circle, user.id, form.role.data)
        db.session.add(CircleMembershipEvent(
            circle_id=circle.id, user_id=user.id, kind=form.kind.data, role=form.role.data,
            decided_on=form.decided_on.data, decision=form.decision.data.strip(),
            recorded_by_id=current_user.id))
        audit.record(f"circle.{form.kind.data}", commune_id=circle.commune_id, target=circle.name,
                     person=user.display_name, person_id=user.id, role=form.role.data)
        flash(_("The decision has been recorded."), "success")
        return self.back(None)


# -- entries and exits by consent ----------------------------------------------------------

class OpenRequest(CirclePage):
    """Opening a request (to join, or an exit), once: its form, the field a refusal is
    said next to, the service that opens it, the message when it is open."""

    login_required = True

    def post(self):
        form = self.request_form()
        if not form.validate():
            return self.invalid()
        with self.refusals_at(self.refused_field(form)):
            replay.claim(url_for("circles.show", circle_id=self.circle.id, _anchor="entrees"))
            self.open(form)
        flash(self.done(), "success")
        return self.back()


@route(bp, "/cercles/<int:circle_id>/demandes/entree", "ask_to_join", methods=("POST",))
class AskToJoin(OpenRequest):
    permission = "circle.ask_to_join"
    posts = "JoinRequestForm"

    def request_form(self):
        return self.form(JoinRequestForm)

    def refused_field(self, form):
        return form.message

    def open(self, form):
        entries.ask_to_join(self.circle, current_user, form.message.data)

    def done(self):
        return _("Your request is sent: the circle's members answer it by consent.")


@route(bp, "/cercles/<int:circle_id>/demandes/sortie", "propose_exit", methods=("POST",))
class ProposeExit(OpenRequest):
    permission = "circle.propose_exit"
    posts = "ExitProposalForm"

    def request_form(self):
        return self.exit_form(membership.members(self.circle))

    def refused_field(self, form):
        return form.reason

    def open(self, form):
        entries.propose_exclusion(self.circle, current_user, form.person.data, form.reason.data)

    def done(self):
        return _("The proposed exit is open: the other members answer it by consent.")


@route(bp, "/cercles/<int:circle_id>/demandes/<int:request_id>/reponse", "answer", methods=("POST",))
class Answer(CirclePage):
    login_required = True

    def load(self, circle_id: int, request_id: int):
        circle = super().load(circle_id)
        self.asked = db.session.get(CircleRequest, request_id)
        if self.asked is None or self.asked.circle_id != circle.id:
            abort(404)
        if request.method in WRITING:
            entries.settle_if_due(self.asked)  # the deadline passed: the round is over (closed, committed)
        self.posts = f"r{self.asked.id}"
        return circle

    def check_access(self) -> None:
        super().check_access()
        if self.asked.closed_at is not None:
            raise Refused(_("This consent round is closed: answers are no longer taken."), 409)
        require("circle.answer", self.asked)

    def post(self):
        asked = self.asked
        form = self.answer_form(asked)
        if not form.validate():
            return self.invalid()
        with self.refusals_at(form.reason):
            replay.claim(url_for("circles.show", circle_id=self.circle.id, _anchor=f"demande-{asked.id}"))
            outcome = entries.answer(asked, current_user, form.answer.data, form.reason.data)
        flash(_("Your answer is recorded. You may change it until the round closes.") if outcome is None
              else str(rounds.OUTCOME_LABELS[outcome]), "success")
        return self.back(f"demande-{asked.id}")


@route(bp, "/cercles/<int:circle_id>/quitter", "leave", methods=("POST",))
class Leave(CirclePage):
    login_required = True
    permission = "circle.member"
    posts = "LeaveForm"

    def post(self):
        if not self.form(LeaveForm).validate():
            return self.invalid(400)
        replay.claim(url_for("circles.show", circle_id=self.circle.id))
        entries.leave(self.circle, current_user)
        flash(_("You have left the circle."), "success")
        return self.back(None)
