from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..web.inputs import LocalDateTimeField, WholeNumberField

ASSEMBLY_KIND_CHOICES = [
    ("assemblee_populaire", _l("Popular assembly")),
    ("commune_des_communes", _l("Commune des Communes meeting")),
]
STATUS_CHOICES = [("planned", _l("Planned")), ("open", _l("In progress")), ("closed", _l("Closed"))]
CORE_KIND_LABELS = {
    "accueil": _l("Welcome"),
    "pleniere": _l("Plenary"),
    "atelier": _l("Workshop"),
    "restitution": _l("Report-back"),
    "pause": _l("Break"),
    "repas": _l("Meal"),
    "autre": _l("Other"),
}


class AssemblyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=ASSEMBLY_KIND_CHOICES)
    starts_at = LocalDateTimeField(_l("Start"), validators=[DataRequired()])
    ends_at = LocalDateTimeField(_l("End (optional)"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=20000)])

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data < self.starts_at.data:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("The end comes before the start."))


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"))
    starts_at = TimeField(_l("Time"), validators=[Optional()])
    duration_minutes = WholeNumberField(_l("Duration (minutes)"), validators=[Optional(), NumberRange(min=1, max=1440)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=5000)])
