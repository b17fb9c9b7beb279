"""The organisers' pages: the counts (beds per night, meals, workshops, shuttle,
arrivals), the waiting list, the lodging matches, the printable list and its CSV, and the
door (a delegation's or a member's QR code opens its check-in page on a phone)."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from convergence.extensions import db
from convergence.web.downloads import csv_download
from convergence.web.forms import ConfirmForm
from convergence.web.handlers import Handler, route
from convergence.web.security import no_store

from . import checkin, counts, lodging, registration, rules
from .forms import LODGING_LABELS, MANDATE_LABELS, MatchForm, night_label
from .models import Delegation, LodgingMatch, LodgingOffer
from .views import NAME, MeetingPage, bp


class OrganiserPage(MeetingPage):
    permission = "cdc.organise"
    decorators = [no_store]  # names, phones and addresses of people

    def access_target(self):
        return self.assembly


@route(bp, "/rencontres/<int:meeting_id>/organisation", "organise")
class Organise(OrganiserPage):
    def get(self):
        meeting = self.meeting
        sessions = meeting.sessions
        meals, workshops = counts.meals(meeting), counts.workshops(meeting)
        return self.page("cdc/organise.html", totals=counts.totals(meeting), nights=counts.nights(meeting),
                         meals=[(s, meals.get(s.id, 0)) for s in sessions if s.kind == "repas"],
                         workshops=[(s, workshops.get(s.id, 0)) for s in sessions if s.kind == "atelier"],
                         delegations=counts.delegations(meeting), public_name=registration.public_name,
                         night_label=night_label, admit_form=ConfirmForm(formdata=None))


@route(bp, "/rencontres/<int:meeting_id>/attente/<int:delegation_id>", "admit", methods=("POST",))
class Admit(Organise):
    """A delegation taken off the waiting list (a refusal redraws the organisers' page)."""

    def load(self, meeting_id: int, delegation_id: int):
        space = super().load(meeting_id)
        self.delegation = db.session.get(Delegation, delegation_id)
        if self.delegation is None or self.delegation.meeting_id != meeting_id:
            abort(404)
        return space

    def render(self):
        return self.get()

    def post(self):
        from convergence.web.forms import require_confirmed_post

        require_confirmed_post()
        registration.admit(self.delegation)
        flash(_("The delegation is registered."), "success")
        return redirect(url_for("cdc.organise", meeting_id=self.meeting.id), 303)


@route(bp, "/rencontres/<int:meeting_id>/liste", "roster")
class Roster(OrganiserPage):
    """Everyone registered, to print for the welcome desk."""

    def get(self):
        meeting = self.meeting
        return self.page("cdc/roster.html", delegations=counts.delegations(meeting, statuses=(rules.REGISTERED,)),
                         public_name=registration.public_name, mandate_labels=MANDATE_LABELS,
                         lodging_labels=LODGING_LABELS, sessions={s.id: s for s in meeting.sessions})


@route(bp, "/rencontres/<int:meeting_id>/inscriptions.csv", "csv")
class RosterCsv(OrganiserPage):
    def get(self):
        meeting = self.meeting
        nights = rules.nights_of(meeting.first_day, meeting.last_day)
        meals = [s for s in meeting.sessions if s.kind == "repas"]
        workshops = [s for s in meeting.sessions if s.kind == "atelier"]
        header = [_("Status"), _("Collective"), _("Town"), _("Commune of the platform"), _("Head of delegation"),
                  _("Contact e-mail"), _("Contact phone"), _("People"), _("Named members"), _("Kind of mandate"),
                  _("Lodging"), *[night_label(n) for n in nights], *[m.title for m in meals], _("Dietary needs"),
                  *[w.title for w in workshops], _("By train"), _("Arrival"), _("Shuttle"), _("Arrived")]
        rows = []
        for d in counts.delegations(meeting):
            beds = {n.night: n.people for n in d.nights}
            eats = {m.session_id: m.people for m in d.meals}
            goes = {w.session_id: w.people for w in d.workshops}
            head = d.head
            rows.append([
                _("registered") if d.status == rules.REGISTERED else _("waiting list"), d.collective_name, d.home_town,
                d.commune.name if d.commune else "", head.name if head else "", d.contact_email, d.contact_phone,
                d.people_count, "; ".join(m.name for m in d.members), MANDATE_LABELS[d.mandate_kind],
                LODGING_LABELS.get(d.lodging_mode, ""), *[beds.get(n, 0) for n in nights],
                *[eats.get(m.id, 0) for m in meals], d.dietary_needs, *[goes.get(w.id, 0) for w in workshops],
                _("yes") if d.by_train else _("no"), d.arrival, d.shuttle_people,
                _("yes") if d.checked_in_at else _("no")])
        return csv_download(header, rows, _("registrations") + f"-{meeting.id}.csv", bom=True)


@route(bp, "/rencontres/<int:meeting_id>/hebergements", "lodging", methods=("GET", "POST"))
class Lodging(OrganiserPage):
    """The hosts' offers and who sleeps where; a match is made here."""

    posts = "MatchForm"

    def match_form(self, offers, delegations):
        form = self.form(MatchForm)
        form.offer.choices = [(str(o.id), f"{o.host.display_name} ({o.places})") for o in offers]
        form.delegation.choices = [(str(d.id), registration.public_name(d) if d.kind != "alone"
                                    else (d.head.name if d.head else "")) for d in delegations
                                   if d.status == rules.REGISTERED]
        form.night.choices = [(n.isoformat(), night_label(n))
                              for n in rules.nights_of(self.meeting.first_day, self.meeting.last_day)]
        return form

    def render(self):
        offers = counts.offers(self.meeting)
        delegations = counts.delegations(self.meeting, statuses=(rules.REGISTERED,))
        wanting = [d for d in delegations if d.lodging_mode == "host" and d.nights]
        return self.page("cdc/lodging.html", offers=offers, matches=counts.matches(self.meeting),
                         wanting=wanting, nights=counts.nights(self.meeting), night_label=night_label,
                         form=self.match_form(offers, delegations), unmatch_form=ConfirmForm(formdata=None))

    def get(self):
        return self.render()

    def post(self):
        form = self.form(MatchForm)
        if not form.validate():
            return self.invalid()
        found = db.session.get(LodgingOffer, _number(form.offer.data))
        delegation = db.session.get(Delegation, _number(form.delegation.data))
        try:
            night = date.fromisoformat(form.night.data or "")
        except ValueError:
            night = None
        if found is None or found.meeting_id != self.meeting.id or delegation is None or night is None:
            form.offer.errors = [_("Choose a host, a delegation and a night of the lists.")]
            return self.invalid()
        with self.refusals_at(form.people):
            lodging.match(found, delegation, night, form.people.data)
        flash(_("Lodging found: %(n)d people with %(host)s.", n=form.people.data, host=found.host.display_name),
              "success")
        return redirect(url_for("cdc.lodging", meeting_id=self.meeting.id), 303)


def _number(raw) -> int:
    from convergence.web.inputs import whole_number

    return whole_number(raw or "") or 0


@route(bp, "/hebergements/<int:match_id>/retirer", "unmatch", methods=("POST",))
class Unmatch(Handler):
    feature = NAME
    permission = "cdc.organise"

    def load(self, match_id: int):
        self.match = db.session.get(LodgingMatch, match_id)
        if self.match is None:
            abort(404)
        return self.match.delegation.meeting.assembly

    def post(self):
        from convergence.web.forms import require_confirmed_post

        require_confirmed_post()
        meeting_id = self.match.delegation.meeting_id
        lodging.unmatch(self.match)
        return redirect(url_for("cdc.lodging", meeting_id=meeting_id), 303)


@route(bp, "/accueil/<token>", "checkin", methods=("GET", "POST"))
class Checkin(Handler):
    """At the door: the organisers' phone opens the QR code's address."""

    feature = NAME
    permission = "cdc.organise"
    login_required = True
    decorators = [no_store]

    def load(self, token: str):
        found = checkin.find(token)
        if found is None:
            abort(404)
        self.delegation, self.member = found
        self.token = token
        return self.delegation.meeting.assembly

    def render(self):
        d = self.delegation
        return render_template("cdc/checkin.html", delegation=d, member=self.member, meeting=d.meeting,
                               assembly=d.meeting.assembly, name=registration.public_name(d),
                               form=ConfirmForm(formdata=None), token=self.token)

    def get(self):
        return self.render()

    def post(self):
        from convergence.web.forms import require_confirmed_post

        require_confirmed_post()
        if self.delegation.status != rules.REGISTERED:
            from convergence.refusal import Refused

            raise Refused(_("This delegation is not registered (waiting list or cancelled): see with the "
                            "organisers."), 409)
        checkin.arrive(self.delegation, self.member)
        flash(_("Arrival recorded."), "success")
        return redirect(url_for("cdc.checkin", token=self.token), 303)
