"""The plug-in's forms (Flask-WTF: CSRF included). The registration form has one number
field per night, meal and workshop of the meeting: :func:`registration_form` makes its
class for a meeting; :meth:`RegistrationForm.registration` gives what the services take."""

from __future__ import annotations

from datetime import datetime

from flask_babel import format_date, to_utc
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, EmailField, RadioField, SelectField, SelectMultipleField, StringField,
                     TextAreaField, TimeField)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from convergence.web.inputs import LocalDateTimeField, WholeNumberField

from . import rules
from .models import DOCUMENT_MAX_BYTES, NAME_MAX, SESSION_KINDS, SHORT_MAX, TEXT_MAX
from .registration import Registration

MANDATE_LABELS = {"imperatif": _l("Imperative: the delegation votes as its collective decided"),
                  "semi_imperatif": _l("Semi-imperative: within limits its collective set"),
                  "libre": _l("Free: the delegation decides on the spot")}
SESSION_LABELS = {"accueil": _l("Welcome"), "pleniere": _l("Plenary"), "atelier": _l("Workshop"),
                  "restitution": _l("Report-back"), "repas": _l("Meal"), "pause": _l("Break"),
                  "soiree": _l("Evening")}
LODGING_LABELS = {"host": _l("With a resident (« chez l'habitant »), if the organisers find one"),
                  "hall": _l("In the hall, with our sleeping bags"),
                  "own": _l("By our own means")}
DOCUMENT_TYPES = {"application/pdf": ".pdf", "application/vnd.oasis.opendocument.text": ".odt",
                  "text/plain": ".txt",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label, limit=TEXT_MAX, rows=3, **options):
    return TextAreaField(label, filters=[_strip], validators=[Length(max=limit, message=_l(
        "%(max)d characters at most.", max=limit))], render_kw={"rows": rows, "maxlength": limit}, **options)


def _line(label, limit=NAME_MAX, validators=(), render_kw=None, **options):
    return StringField(label, filters=[_strip], validators=[*validators, Length(max=limit, message=_l(
        "%(max)d characters at most.", max=limit))], render_kw={"maxlength": limit, **(render_kw or {})}, **options)


def _count(label, high=rules.PEOPLE_MAX):
    return WholeNumberField(label, validators=[Optional(), NumberRange(min=0, max=high, message=_l(
        "Between 0 and %(max)d.", max=high))], render_kw={"inputmode": "numeric", "min": 0, "max": high})


class Names(TextAreaField):
    """One name per line; blank lines left out."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.names = [line.strip() for line in (self.data or "").splitlines() if line.strip()]

    def pre_validate(self, form):
        names = getattr(self, "names", [])
        if len(names) > rules.PEOPLE_MAX:
            raise ValidationError(_l("%(max)d names at most.", max=rules.PEOPLE_MAX))
        if any(len(n) > NAME_MAX for n in names):
            raise ValidationError(_l("A name has %(max)d characters at most.", max=NAME_MAX))
        if len({n.casefold() for n in names}) < len(names):
            raise ValidationError(_l("A name is written twice."))


class RegistrationForm(FlaskForm):
    kind = RadioField(_l("You come"), choices=[("collective", _l("As the delegation of a collective")),
                                               ("alone", _l("Alone, without a collective"))],
                      default="collective", validators=[InputRequired(_l("Say how you come."))])
    commune = SelectField(_l("Commune of the platform"), validate_choice=False, coerce=str, default="")
    collective_name = _line(_l("Name of the collective"))
    home_town = _line(_l("Town"), SHORT_MAX)
    collective_form = _text(_l("Its form (popular assembly, citizen list, association…)"))
    objectives = _text(_l("Its objectives"))
    initiatives = _text(_l("Its initiatives"))
    municipal_list = RadioField(_l("Does it present a list at the municipal elections?"),
                                choices=[("no", _l("No")), ("yes", _l("Yes"))], default="no")
    municipal_functioning = _text(_l("If so, with which democratic functioning?"))
    why_alone = _text(_l("Without a collective: say who you are and why you come"))
    head_name = _line(_l("Head of delegation"), validators=[DataRequired(_l("Give the name of the head of "
                                                                              "delegation."))])
    head_is_me = BooleanField(_l("I am the head of delegation"), default=True)
    contact_email = EmailField(_l("Contact e-mail"), filters=[_strip], validators=[
        DataRequired(_l("Give an e-mail address.")), Email(_l("This e-mail address is not valid.")),
        Length(max=SHORT_MAX)])
    contact_phone = _line(_l("Contact phone"), 40, render_kw={"inputmode": "tel", "autocomplete": "tel"})
    social_networks = _line(_l("Social networks"))
    people_count = WholeNumberField(_l("Number of people in the delegation"), default=1, validators=[
        InputRequired(_l("Say how many you are.")),
        NumberRange(min=1, max=rules.PEOPLE_MAX, message=_l("Between 1 and %(max)d.", max=rules.PEOPLE_MAX))],
        render_kw={"inputmode": "numeric", "min": 1, "max": rules.PEOPLE_MAX})
    members = Names(_l("Other members (one name per line; optional)"), render_kw={"rows": 4})
    mandate_kind = RadioField(_l("Kind of mandate"), choices=list(MANDATE_LABELS.items()), default="libre")
    mandate_text = _text(_l("The mandate"), rows=5)
    mandate_document = FileField(_l("The mandate as a document (PDF, ODT, DOCX or text; optional)"),
                                 render_kw={"accept": ",".join(DOCUMENT_TYPES.values())})
    proposals = _text(_l("Remarks on the programme, topics or workshops you propose"), rows=4)
    lodging_mode = RadioField(_l("Lodging"), choices=list(LODGING_LABELS.items()), default="own")
    dietary_needs = _text(_l("Dietary needs (vegetarian, allergies…)"), 1000, rows=2)
    by_train = BooleanField(_l("We arrive by train"))
    arrival = _line(_l("Arrival (station, day and time)"), SHORT_MAX)
    shuttle_people = _count(_l("People needing the shuttle from the station"))

    # Filled by registration_form(): (field name, key) of each night, meal and workshop.
    night_fields: tuple = ()
    meal_fields: tuple = ()
    workshop_fields: tuple = ()

    def offer(self, communes) -> RegistrationForm:
        self.commune.choices = [("", _l("— none: a collective not on the platform —"))] + [
            (str(c.id), c.name) for c in communes]
        self.known_communes = {str(c.id): c for c in communes}
        return self

    def validate_commune(self, field):
        if field.data and field.data not in self.known_communes:
            raise ValidationError(_l("Choose a commune of the list."))

    def validate_collective_name(self, field):
        if self.kind.data == "collective" and not field.data and not self.commune.data:
            raise ValidationError(_l("Give the collective's name, or choose its commune."))

    def validate_why_alone(self, field):
        if self.kind.data == "alone" and not field.data:
            raise ValidationError(_l("Coming without a collective, say why you come."))

    def validate_mandate_document(self, field):
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            self.document = None
            return
        content = upload.read(DOCUMENT_MAX_BYTES + 1)
        if len(content) > DOCUMENT_MAX_BYTES:
            raise ValidationError(_l("The document is larger than %(n)d MB.", n=DOCUMENT_MAX_BYTES // 2**20))
        if not content:
            raise ValidationError(_l("The document is empty."))
        name = upload.filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][-NAME_MAX:]
        kind = next((t for t, ext in DOCUMENT_TYPES.items() if name.lower().endswith(ext)), None)
        if kind is None:
            raise ValidationError(_l("Send a PDF, ODT, DOCX or text document."))
        self.document = (name, kind, content)

    def _numbers(self, fields) -> dict:
        return {key: getattr(self, name).data or 0 for name, key in fields}

    def registration(self) -> Registration:
        alone = self.kind.data == "alone"
        commune = self.known_communes.get(self.commune.data) if not alone else None
        return Registration(
            kind=self.kind.data, head_name=self.head_name.data, head_is_me=self.head_is_me.data,
            people_count=self.people_count.data, contact_email=self.contact_email.data,
            contact_phone=self.contact_phone.data or "", social_networks=self.social_networks.data or "",
            commune_id=commune.id if commune else None,
            collective_name=self.collective_name.data or (commune.name if commune else ""),
            home_town=self.home_town.data or "", collective_form=self.collective_form.data or "",
            objectives=self.objectives.data or "", initiatives=self.initiatives.data or "",
            municipal_list=self.municipal_list.data == "yes",
            municipal_functioning=self.municipal_functioning.data or "", why_alone=self.why_alone.data or "",
            members=list(getattr(self.members, "names", [])), mandate_kind=self.mandate_kind.data,
            mandate_text=self.mandate_text.data or "", proposals=self.proposals.data or "",
            lodging_mode=self.lodging_mode.data, nights=self._numbers(self.night_fields),
            meals=self._numbers(self.meal_fields), dietary_needs=self.dietary_needs.data or "",
            workshops=self._numbers(self.workshop_fields), by_train=self.by_train.data,
            arrival=self.arrival.data or "", shuttle_people=self.shuttle_people.data or 0,
            document=getattr(self, "document", None))


def night_label(night) -> str:
    from datetime import timedelta

    from flask_babel import gettext as _

    return _("Night from %(first)s to %(next)s", first=format_date(night, "EEEE d"),
             next=format_date(night + timedelta(days=1), "EEEE d MMMM"))


def registration_form(meeting) -> type[RegistrationForm]:
    """The form's class for ``meeting``: a number per night, meal and workshop."""
    from flask_babel import format_datetime

    fields, nights, meals, workshops = {}, [], [], []
    for night in rules.nights_of(meeting.first_day, meeting.last_day):
        name = f"night_{night.isoformat().replace('-', '')}"
        fields[name] = _count(night_label(night))
        nights.append((name, night))
    for session in meeting.sessions:
        when = format_datetime(session.starts_at, "EEEE HH:mm")
        if session.kind == "repas":
            name = f"meal_{session.id}"
            fields[name] = _count(f"{session.title} ({when})")
            meals.append((name, session.id))
        elif session.kind == "atelier":
            name = f"workshop_{session.id}"
            room = f", {session.room}" if session.room else ""
            fields[name] = _count(f"{session.title} ({when}{room})")
            workshops.append((name, session.id))
    fields.update(night_fields=tuple(nights), meal_fields=tuple(meals), workshop_fields=tuple(workshops))
    return type("RegistrationForm", (RegistrationForm,), fields)


def prefill(delegation) -> dict:
    """The form's values for a registration being changed."""
    data = {name: getattr(delegation, name) for name in (
        "kind", "collective_name", "home_town", "collective_form", "objectives", "initiatives",
        "municipal_functioning", "why_alone", "contact_email", "contact_phone", "social_networks", "people_count",
        "mandate_kind", "mandate_text", "proposals", "lodging_mode", "dietary_needs", "by_train", "arrival",
        "shuttle_people")}
    data["commune"] = str(delegation.commune_id) if delegation.commune_id else ""
    data["municipal_list"] = "yes" if delegation.municipal_list else "no"
    head = delegation.head
    data["head_name"] = head.name if head else ""
    data["head_is_me"] = bool(head and head.user_id and head.user_id == delegation.registered_by_id)
    data["members"] = "\n".join(m.name for m in delegation.members if not m.is_head)
    for need in delegation.nights:
        data[f"night_{need.night.isoformat().replace('-', '')}"] = need.people
    for order in delegation.meals:
        data[f"meal_{order.session_id}"] = order.people
    for choice in delegation.workshops:
        data[f"workshop_{choice.session_id}"] = choice.people
    return data


class MeetingForm(FlaskForm):
    first_day = DateField(_l("First day"), validators=[DataRequired(_l("Give the first day."))])
    last_day = DateField(_l("Last day"), validators=[DataRequired(_l("Give the last day."))])
    deadline = LocalDateTimeField(_l("Registrations until"), validators=[DataRequired(_l("Give a deadline."))])
    delegation_cap = WholeNumberField(_l("Delegations at most (empty: no limit)"),
                                      validators=[Optional(), NumberRange(min=1, max=10_000)])
    people_cap = WholeNumberField(_l("People at most (empty: no limit)"),
                                  validators=[Optional(), NumberRange(min=1, max=100_000)])
    invitation = _text(_l("Invitation to the collectives (Markdown)"), rows=8)
    venue_details = _text(_l("Place and access, told to registered delegations only"), rows=3)
    contact_email = EmailField(_l("Organisers' e-mail"), filters=[_strip],
                               validators=[Optional(), Email(_l("This e-mail address is not valid.")),
                                           Length(max=SHORT_MAX)])
    contact_phone = _line(_l("Organisers' phone"), 40)

    def deadline_utc(self) -> datetime:
        return to_utc(self.deadline.data)


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k, SESSION_LABELS[k]) for k in SESSION_KINDS], default="pleniere")
    title = _line(_l("Title"), validators=[DataRequired(_l("Give a title."))])
    day = DateField(_l("Day"), validators=[DataRequired(_l("Give the day."))])
    starts = TimeField(_l("Start"), validators=[DataRequired(_l("Give the time it starts."))])
    ends = TimeField(_l("End"), validators=[DataRequired(_l("Give the time it ends."))])
    room = _line(_l("Room"), SHORT_MAX)
    capacity = WholeNumberField(_l("Places in the room (empty: no limit)"),
                                validators=[Optional(), NumberRange(min=1, max=10_000)])
    description = _text(_l("Description"), rows=3)

    def times(self) -> tuple[datetime, datetime]:
        return (to_utc(datetime.combine(self.day.data, self.starts.data)),
                to_utc(datetime.combine(self.day.data, self.ends.data)))


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OfferForm(FlaskForm):
    places = WholeNumberField(_l("Places (beds or mattresses)"), default=2, validators=[
        InputRequired(_l("Say how many people you can lodge.")), NumberRange(min=1, max=30)])
    nights = MultiCheckbox(_l("Nights"), coerce=str, validate_choice=False)
    contact_phone = _line(_l("Your phone, for the organisers"), 40)
    note = _text(_l("Anything to know (stairs, animals, distance…)"), 1000, rows=2)


class MatchForm(FlaskForm):
    offer = SelectField(_l("Host"), coerce=str, validate_choice=False)
    delegation = SelectField(_l("Delegation"), coerce=str, validate_choice=False)
    night = SelectField(_l("Night"), coerce=str, validate_choice=False)
    people = WholeNumberField(_l("People"), default=1, validators=[
        InputRequired(_l("Say how many people.")), NumberRange(min=1, max=30)])


class SignForm(FlaskForm):
    """The mandated delegate signs for their collective; ``delegation`` says which one, so
    that a form sent for another collective is refused rather than silently redirected."""

    delegation = WholeNumberField(_l("Delegation"))
    reference = _line(_l("Your collective's decision to sign"), render_kw={
        "placeholder": _l("General assembly of 12 January 2026")})
