"""Registering a delegation, its page (with its QR codes for the door), changing it, its
mandate's document, and a resident's offer of lodging."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from convergence.extensions import db
from convergence.invitations.qr import qr_svg
from convergence.models import Commune
from convergence.models.base import utcnow
from convergence.web import replay
from convergence.web.downloads import download
from convergence.web.handlers import Handler, route
from convergence.web.links import absolute_url
from convergence.web.security import no_store

from . import checkin, lodging, registration, rules
from .forms import LODGING_LABELS, MANDATE_LABELS, OfferForm, night_label, prefill, registration_form
from .models import Delegation, MandateDocument
from .views import NAME, MeetingPage, bp


def _communes():
    return list(db.session.scalars(db.select(Commune).order_by(Commune.name)))


class RegistrationFormPage:
    """What the registration page and its change share: the form of the meeting."""

    def registration_form(self, meeting, **options):
        form = self.form(registration_form(meeting), name="registration", **options)
        return form.offer(_communes())

    def draw(self, meeting, form, **context):
        night_fields = [(getattr(form, name), night) for name, night in form.night_fields]
        return render_template("cdc/register.html", meeting=meeting, assembly=meeting.assembly, form=form,
                               nights=night_fields, meals=[getattr(form, n) for n, _k in form.meal_fields],
                               workshops=[getattr(form, n) for n, _k in form.workshop_fields],
                               deadline=registration.deadline_label(meeting),
                               open=utcnow() <= meeting.registration_deadline, **context)


@route(bp, "/rencontres/<int:meeting_id>/inscription", "register", methods=("GET", "POST"))
class Register(RegistrationFormPage, MeetingPage):
    login_required = True
    permission = "cdc.register"

    def render(self):
        form = self.registration_form(self.meeting, data=None if _posting() else {
            "head_name": current_user.display_name, "contact_email": current_user.email})
        return self.draw(self.meeting, form)

    def get(self):
        return self.render()

    def post(self):
        form = self.registration_form(self.meeting)
        if not form.validate():
            return self.invalid()
        delegation, place = registration.register(self.meeting, current_user, form.registration())
        page = url_for("cdc.delegation", delegation_id=delegation.id)
        replay.claim(page)
        flash(registration.placement_message(place), "success" if place.status == rules.REGISTERED else "warning")
        return redirect(page, 303)


def _posting() -> bool:
    from flask import request

    return request.method == "POST"


class DelegationPage(Handler):
    feature = NAME
    permission = "cdc.delegation.edit"
    decorators = [no_store]  # its check-in codes open the door

    def load(self, delegation_id: int):
        self.delegation = db.session.get(Delegation, delegation_id)
        if self.delegation is None:
            abort(404)
        self.meeting = self.delegation.meeting
        return self.meeting.assembly

    def access_target(self):
        return self.delegation


@route(bp, "/delegations/<int:delegation_id>", "delegation")
class ShowDelegation(DelegationPage):
    def get(self):
        d = self.delegation
        has_document = db.session.scalar(db.select(MandateDocument.filename)
                                         .where(MandateDocument.delegation_id == d.id))
        sessions = {s.id: s for s in self.meeting.sessions}
        return render_template(
            "cdc/delegation.html", delegation=d, meeting=self.meeting, assembly=self.meeting.assembly,
            name=registration.public_name(d), document=has_document, sessions=sessions, night_label=night_label,
            mandate_labels=MANDATE_LABELS, lodging_labels=LODGING_LABELS,
            editable=utcnow() <= self.meeting.registration_deadline or _organises(self.meeting),
            deadline=registration.deadline_label(self.meeting), venue=d.status == rules.REGISTERED)


@route(bp, "/delegations/<int:delegation_id>/modifier", "edit", methods=("GET", "POST"))
class EditDelegation(RegistrationFormPage, DelegationPage):
    def render(self):
        form = self.registration_form(self.meeting, data=None if _posting() else prefill(self.delegation))
        return self.draw(self.meeting, form, delegation=self.delegation)

    def get(self):
        return self.render()

    def post(self):
        form = self.registration_form(self.meeting)
        if not form.validate():
            return self.invalid()
        registration.update(self.delegation, current_user, form.registration(), organiser=_organises(self.meeting))
        flash(_("The registration has been changed."), "success")
        return redirect(url_for("cdc.delegation", delegation_id=self.delegation.id), 303)


@route(bp, "/delegations/<int:delegation_id>/mandat", "mandate_document")
class MandateFile(DelegationPage):
    def get(self):
        document = db.session.get(MandateDocument, self.delegation.id)
        if document is None:
            abort(404)
        return download(document.content, document.filename, document.content_type)


@route(bp, "/accueil/<token>/qr.svg", "qr")
class CheckinQr(Handler):
    """The QR code of a delegation or of one of its people; whoever holds the token may
    draw it (it is on their own page and in their pocket)."""

    decorators = [no_store]

    def load(self, token: str):
        found = checkin.find(token)
        if found is None:
            abort(404)
        self.token = token
        return found[0].meeting.assembly

    def get(self):
        return Response(qr_svg(absolute_url("cdc.checkin", token=self.token)), mimetype="image/svg+xml")


@route(bp, "/rencontres/<int:meeting_id>/hebergement", "offer", methods=("GET", "POST"))
class OfferLodging(MeetingPage):
    """A resident of the host commune offers beds « chez l'habitant »."""

    login_required = True
    permission = "cdc.lodging.offer"

    def access_target(self):
        return self.assembly

    def offer_form(self):
        form = self.form(OfferForm)
        form.nights.choices = [(n.isoformat(), night_label(n))
                               for n in rules.nights_of(self.meeting.first_day, self.meeting.last_day)]
        return form

    def get(self):
        return self.render()

    def render(self):
        return self.page("cdc/offer.html", form=self.offer_form())

    def post(self):
        from datetime import date

        form = self.offer_form()
        if not form.validate():
            return self.invalid()
        try:
            nights = [date.fromisoformat(n) for n in form.nights.data or []]
        except ValueError:
            nights = [None]
        with self.refusals_at(form.nights):
            lodging.offer(self.meeting, current_user, places=form.places.data, nights=nights,
                          note=form.note.data or "", contact_phone=form.contact_phone.data or "")
        replay.claim(url_for("cdc.meeting", meeting_id=self.meeting.id))
        flash(_("Thank you: the organisers will tell you who you lodge."), "success")
        return redirect(url_for("cdc.meeting", meeting_id=self.meeting.id), 303)




@route(bp, "/delegations/<int:delegation_id>/annuler", "cancel", methods=("POST",))
class CancelDelegation(ShowDelegation):
    """The registrant (or the organisers) withdraws the registration, before the deadline;
    its lodging matches go with it. A refusal redraws the delegation's page."""

    def render(self):
        return self.get()

    def post(self):
        from convergence.refusal import Refused
        from convergence.web.forms import require_confirmed_post

        require_confirmed_post()
        if self.delegation.status == "cancelled":
            return redirect(url_for("cdc.delegation", delegation_id=self.delegation.id), 303)
        if utcnow() > self.meeting.registration_deadline and not _organises(self.meeting):
            raise Refused(_("The deadline has passed: write to the organisers for any change."), 409)
        registration.cancel(self.delegation)
        flash(_("The registration has been cancelled."), "success")
        return redirect(url_for("cdc.delegation", delegation_id=self.delegation.id), 303)


def _organises(meeting) -> bool:
    from convergence.permissions import can

    return can("cdc.organise", meeting.assembly)
