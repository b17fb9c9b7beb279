"""The meeting's pages: its public page, its creation on an assembly, its programme, its
invitation to the collectives. Registration pages are in ``registration_views.py``, the
organisers' in ``organiser_views.py``; they add their routes to this blueprint.

Every page is a handler of the core's request flow (convergence/web/handlers.py): load
(404) → cdc switched on in the meeting's assembly (404) → access (permissions.py) → work →
one commit → render; a refusal draws the page again with its message and what was typed."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, url_for

from convergence.extensions import db
from convergence.invitations.qr import qr_svg
from convergence.loaders import assembly_or_404
from convergence.models.base import utcnow
from convergence.web import replay
from convergence.web.handlers import Handler, route
from convergence.web.links import absolute_url

from . import counts, declarations, meetings
from .forms import SESSION_LABELS, MeetingForm, SessionForm
from .models import Meeting
from .registration import days_label, deadline_label, public_name, registered_totals

NAME = "cdc"

bp = Blueprint("cdc", __name__, template_folder="templates")


def meeting_or_404(meeting_id: int) -> Meeting:
    meeting = db.session.scalar(db.select(Meeting).where(Meeting.id == meeting_id)
                                .options(db.joinedload(Meeting.assembly)))
    if meeting is None:
        abort(404)
    return meeting


class MeetingPage(Handler):
    feature = NAME

    def load(self, meeting_id: int):
        self.meeting = meeting_or_404(meeting_id)
        self.assembly = self.meeting.assembly
        return self.assembly

    def page(self, template: str, **context):
        return render_template(template, meeting=self.meeting, assembly=self.assembly,
                               days=days_label(self.meeting), deadline=deadline_label(self.meeting),
                               labels=SESSION_LABELS, **context)


@route(bp, "/rencontres/<int:meeting_id>", "meeting")
class Show(MeetingPage):
    def get(self):
        meeting = self.meeting
        delegations, people = registered_totals(meeting.id)
        listed = [(public_name(d), d) for d in counts.delegations(meeting, statuses=("registered",))]
        return self.page("cdc/meeting.html", programme=meetings.programme(meeting), delegations=listed,
                         registered=delegations, people=people, open=utcnow() <= meeting.registration_deadline,
                         full=_is_full(meeting, delegations, people), declaration=declarations.of_meeting(meeting))


def _is_full(meeting, delegations: int, people: int) -> bool:
    return ((meeting.delegation_cap is not None and delegations >= meeting.delegation_cap)
            or (meeting.people_cap is not None and people >= meeting.people_cap))


@route(bp, "/assemblees/<int:assembly_id>/rencontre", "create", methods=("GET", "POST"))
class Create(Handler):
    feature = NAME
    permission = "cdc.organise"

    def load(self, assembly_id: int):
        self.assembly = assembly_or_404(assembly_id)
        found = meetings.meeting_of(assembly_id)
        if found is not None:
            abort(redirect(url_for("cdc.meeting", meeting_id=found.id)))
        return self.assembly

    def get(self):
        return self.render()

    def render(self):
        form = self.form(MeetingForm)
        if not form.is_submitted() and self.assembly.starts_at:
            from flask_babel import to_user_timezone

            start = to_user_timezone(self.assembly.starts_at).date()
            form.first_day.data = form.first_day.data or start
            form.last_day.data = form.last_day.data or start
        return render_template("cdc/create.html", form=form, assembly=self.assembly)

    def post(self):
        form = self.form(MeetingForm)
        if not form.validate():
            return self.invalid()
        # Claimed first, with this page (which leads to the meeting once it exists): two copies
        # of the form meet on the token, not on the one meeting per assembly.
        replay.claim(url_for("cdc.create", assembly_id=self.assembly.id))
        with self.refusals_at(form.last_day):
            meeting = meetings.create(
                self.assembly, first_day=form.first_day.data, last_day=form.last_day.data,
                deadline=form.deadline_utc(), delegation_cap=form.delegation_cap.data,
                people_cap=form.people_cap.data, invitation=form.invitation.data or "",
                venue_details=form.venue_details.data or "", contact_email=form.contact_email.data or "",
                contact_phone=form.contact_phone.data or "")
        return redirect(url_for("cdc.programme", meeting_id=meeting.id), 303)


@route(bp, "/rencontres/<int:meeting_id>/programme", "programme", methods=("GET", "POST"))
class Programme(MeetingPage):
    permission = "cdc.organise"

    def get(self):
        return self.render()

    def render(self):
        form = self.form(SessionForm)
        if not form.is_submitted():
            form.day.data = self.meeting.first_day
        return self.page("cdc/programme.html", form=form, programme=meetings.programme(self.meeting))

    def post(self):
        form = self.form(SessionForm)
        if not form.validate():
            return self.invalid()
        starts_at, ends_at = form.times()
        with self.refusals_at(form.starts):
            meetings.add_session(self.meeting, kind=form.kind.data, title=form.title.data, starts_at=starts_at,
                                 ends_at=ends_at, room=form.room.data or "", description=form.description.data or "",
                                 capacity=form.capacity.data)
        replay.claim(url_for("cdc.programme", meeting_id=self.meeting.id))
        return redirect(url_for("cdc.programme", meeting_id=self.meeting.id), 303)


@route(bp, "/rencontres/<int:meeting_id>/invitation", "invitation")
class Invitation(MeetingPage):
    """The invitation to the collectives, with the link and QR code of the registration:
    printed, posted, sent to the mailing lists of the movement."""

    def get(self):
        return self.page("cdc/invitation.html", link=absolute_url("cdc.register", meeting_id=self.meeting.id),
                         programme=meetings.programme(self.meeting))


@route(bp, "/rencontres/<int:meeting_id>/inscription/qr.svg", "register_qr")
class RegisterQr(MeetingPage):
    def get(self):
        return Response(qr_svg(absolute_url("cdc.register", meeting_id=self.meeting.id)), mimetype="image/svg+xml")


