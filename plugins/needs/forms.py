"""Every form of the needs map (Flask-WTF: CSRF token included); never ``request.form``
by hand. A form whose choices depend on the commune is given them with ``offer(...)``
after the page's handler made it (``Handler.form`` makes each form once per request).

:class:`NeedForm` holds the rules of one need's fields: the report page uses it, and the
CSV import checks each line with it (``by_code``), so both refuse the same things with
the same words."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Form, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from convergence.refusal import Refused
from convergence.web.inputs import whole_number

from . import facilitation, places
from .models import (CODE_MAX, COMMENT_MAX, DESCRIPTION_MAX, LABEL_MAX, STATUS_LABELS, TITLE_MAX,
                     URGENCIES, URGENCY_LABELS)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(value) -> str:
    # A select's value as sent ("" when absent: WTForms would make None into "None").
    return "" if value is None else str(value).strip()


class Choice(SelectField):
    """A select whose value is checked by the form (its own messages), not by WTForms."""

    def __init__(self, label=None, **options):
        super().__init__(label, coerce=_text, validate_choice=False, **options)


# -- one need: the report page and each line of a CSV import -----------------------------

class NeedForm(FlaskForm):
    category = Choice(_l("Category"), validators=[InputRequired(_l("Choose a category."))])
    title = StringField(_l("Title"), filters=[_strip], validators=[
        DataRequired(_l("Give a title.")),
        Length(max=TITLE_MAX, message=_l("The title is too long (%(max)d characters at most).", max=TITLE_MAX))],
        render_kw={"maxlength": TITLE_MAX})
    description = TextAreaField(_l("Description"), filters=[_strip], validators=[
        Length(max=DESCRIPTION_MAX,
               message=_l("The description is too long (%(max)d characters at most).", max=DESCRIPTION_MAX))],
        render_kw={"rows": 6, "maxlength": DESCRIPTION_MAX})
    community = Choice(_l("Community concerned"))
    neighbourhood = Choice(_l("Neighbourhood"))
    latitude = StringField(_l("Latitude"), filters=[_strip], render_kw={"inputmode": "decimal"})
    longitude = StringField(_l("Longitude"), filters=[_strip], render_kw={"inputmode": "decimal"})
    urgency = Choice(_l("Urgency"), default="medium", filters=[lambda v: (v or "medium").lower()])
    show_author = BooleanField(_l("Show my name (otherwise: « a resident »)"))

    def offer(self, commune, found, *, by_code: bool = False) -> "NeedForm":
        """The commune's lists (lists.of) as choices: by id on the page; in a CSV line
        (``by_code``) categories and communities by code, neighbourhoods by name, in any case."""
        self.commune, self.by_code, self.found = commune, by_code, {}
        none = [("", "—")]
        self.category.choices = none + [(self._key(c, "code"), c.label) for c in found.categories]
        self.community.choices = none + [(self._key(c, "code"), c.label) for c in found.communities]
        self.neighbourhood.choices = none + [(self._key(n, "name"), n.name) for n in found.neighbourhoods]
        self.urgency.choices = [(u, URGENCY_LABELS[u]) for u in URGENCIES]
        self._items = {"category": found.categories, "community": found.communities,
                       "neighbourhood": found.neighbourhoods}
        return self

    def _key(self, item, by_code_key: str) -> str:
        return str(getattr(item, by_code_key)) if self.by_code else str(item.id)

    def _find(self, field, key: str, unknown: str):
        """The list entry the field names, or None when left empty; ValidationError when unknown."""
        raw = field.data or ""
        if not raw:
            return None
        for item in self._items[field.name]:
            value = self._key(item, key)
            if value == raw or (self.by_code and value.lower() == raw.lower()):
                self.found[field.name] = item
                return item
        raise ValidationError(unknown)

    def validate_category(self, field):
        self._find(field, "code", _("Unknown category."))

    def validate_community(self, field):
        self._find(field, "code", _("Unknown community."))

    def validate_neighbourhood(self, field):
        self._find(field, "name", _("Unknown neighbourhood."))

    def validate_urgency(self, field):
        if field.data not in URGENCIES:
            raise ValidationError(_("Urgency must be low, medium or high."))

    def validate_latitude(self, field):
        # Latitude and longitude are one place: one message, on the first of them.
        problem = places.problem(self.commune, field.data, self.longitude.data)
        if problem:
            raise ValidationError(problem)

    def values(self) -> dict:
        """The checked fields, as a Need's columns (after validate())."""
        item = self.found.get
        return {"category_id": item("category").id,
                "community_id": item("community").id if item("community") else None,
                "neighbourhood_id": item("neighbourhood").id if item("neighbourhood") else None,
                "title": self.title.data, "description": self.description.data or "",
                "urgency": self.urgency.data, "latitude": places.coordinate(self.latitude.data),
                "longitude": places.coordinate(self.longitude.data)}


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8)"), render_kw={"accept": ".csv,text/csv"})


# -- the need's page ------------------------------------------------------------------------

class SupportForm(FlaskForm):
    # The button says what it sets, so a second press (or a replay) changes nothing.
    action = HiddenField()

    def wanted(self) -> str:
        if self.action.data not in ("support", "withdraw"):
            raise Refused(_("Say whether you support this need or withdraw your support."), 400)
        return self.action.data


class CommentForm(FlaskForm):
    # The core's own words for an empty or long comment (convergence/participation/comments.py).
    body = TextAreaField(_l("Your comment"), filters=[_strip], validators=[
        DataRequired(_l("The comment is empty.")),
        Length(max=COMMENT_MAX, message=_l("The comment is longer than %(n)d characters.", n=COMMENT_MAX))],
        render_kw={"rows": 3, "maxlength": COMMENT_MAX})


class StatusForm(FlaskForm):
    status = Choice(_l("Status"), choices=list(STATUS_LABELS.items()))
    reason = StringField(_l("Reason (required for « not retained »)"), filters=[_strip],
                         render_kw={"maxlength": COMMENT_MAX})

    def validate_status(self, field):
        if field.data not in STATUS_LABELS:
            raise ValidationError(_("Unknown status."))

    def validate_reason(self, field):
        if self.status.data in STATUS_LABELS:
            try:
                facilitation.status_reason(self.status.data, field.data)
            except Refused as refusal:
                raise ValidationError(refusal.message) from None


class CircleForm(FlaskForm):
    circle_id = Choice(_l("Circle in charge"))

    def offer(self, circles) -> "CircleForm":
        self.circles = {str(c.id): c for c in circles}
        self.circle_id.choices = [("", "—")] + [(str(c.id), c.name) for c in circles]
        return self

    def validate_circle_id(self, field):
        if field.data and field.data not in self.circles:
            raise ValidationError(_("Unknown circle."))

    def circle(self):
        return self.circles.get(self.circle_id.data)


class MergeForm(FlaskForm):
    target_id = StringField(_l("This need duplicates need number"), filters=[lambda v: _strip(v or "").lstrip("#")],
                            validators=[InputRequired(_l("Unknown need to merge into."))],
                            render_kw={"inputmode": "numeric"})

    def offer(self, duplicate, find) -> "MergeForm":
        """``find(number)``: the need of that number in the duplicate's commune, or None."""
        self.duplicate, self.find, self.target = duplicate, find, None
        return self

    def validate_target_id(self, field):
        number = whole_number(field.data)
        self.target = self.find(number) if number is not None else None
        if self.target is None:
            raise ValidationError(_("Unknown need to merge into."))
        try:
            facilitation.check_merge(self.duplicate, self.target)
        except Refused as refusal:
            raise ValidationError(refusal.message) from None


# -- the synthesis and the lists --------------------------------------------------------------

class AgendaForm(FlaskForm):
    assembly_id = Choice(_l("Put on the agenda of"))

    def offer(self, assemblies) -> "AgendaForm":
        self.assemblies = {str(a.id): a for a in assemblies}
        self.assembly_id.choices = [(str(a.id), f"{a.title} ({format_date(a.starts_at, 'long')})" if a.starts_at
                                     else a.title) for a in assemblies]
        return self

    def validate_assembly_id(self, field):
        if field.data not in self.assemblies:
            raise ValidationError(_("Choose an assembly of the commune."))

    def assembly(self):
        return self.assemblies[self.assembly_id.data]


class ListEntryForm(FlaskForm):
    """An entry added to, or renamed in, the categories or the communities (``kind``)."""

    kind = HiddenField()
    code = StringField(_l("Code"), filters=[lambda v: _strip(v or "").lower()], validators=[
        DataRequired(_l("Give a code.")),
        Length(max=CODE_MAX, message=_l("The code is too long (%(max)d characters at most).", max=CODE_MAX))],
        render_kw={"maxlength": CODE_MAX})
    label = StringField(_l("Label"), filters=[_strip], validators=[
        DataRequired(_l("Give a label.")),
        Length(max=LABEL_MAX, message=_l("The label is too long (%(max)d characters at most).", max=LABEL_MAX))],
        render_kw={"maxlength": LABEL_MAX})

    def validate_code(self, field):
        if not field.data.replace("_", "").isalnum():
            raise ValidationError(_("A code is made of letters, digits and _."))


# -- the list's filters (a GET form: nothing written, no CSRF token) -------------------------

class FiltersForm(Form):
    category = Choice(_l("Category"))
    neighbourhood = Choice(_l("Neighbourhood"))
    community = Choice(_l("Community"))
    status = Choice(_l("Status"))
    page = StringField(filters=[_strip])

    def offer(self, found) -> "FiltersForm":
        every = [("", _("All"))]
        self.category.choices = every + [(c.code, c.label) for c in found.categories]
        self.neighbourhood.choices = every + [(str(n.id), n.name) for n in found.neighbourhoods]
        self.community.choices = every + [(c.code, c.label) for c in found.communities]
        self.status.choices = every + list(STATUS_LABELS.items())
        return self

    def number(self) -> int:
        """The page asked for; the first for anything else than a page number."""
        return whole_number(self.page.data, low=1) or 1

    def validate_neighbourhood(self, field):
        if field.data and whole_number(field.data) is None:
            raise ValidationError(_("Unknown neighbourhood."))

    def filters(self) -> dict:
        """The filters as the list's query takes them (an invalid one is left out)."""
        return {name: ("" if self[name].errors else self[name].data or "") for name in
                ("category", "neighbourhood", "community", "status")}
