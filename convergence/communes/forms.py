from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

KIND_CHOICES = [
    ("commune", _l("Commune")),
    ("collectif", _l("Collective")),
    ("liste_citoyenne", _l("Citizen list")),
]
ROLE_CHOICES = [
    ("resident", _l("Resident")),
    ("facilitator", _l("Facilitator")),
    ("guarantor", _l("Guarantor")),
    ("elected", _l("Elected member")),
    ("admin", _l("Administrator")),
]


class CommuneForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    slug = StringField(_l("Short address (letters, digits and dashes)"), validators=[
        Optional(), Length(max=80),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=_l("Use lower-case letters, digits and dashes only."))])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    description = TextAreaField(_l("Description (Markdown)"), validators=[Optional(), Length(max=20000)])
    neighbourhoods = TextAreaField(_l("Neighbourhoods, one per line"), validators=[Optional(), Length(max=10000)])
    latitude = FloatField(_l("Latitude (optional)"), validators=[Optional(), NumberRange(min=-90, max=90)])
    longitude = FloatField(_l("Longitude (optional)"), validators=[Optional(), NumberRange(min=-180, max=180)])


class RoleForm(FlaskForm):
    email = EmailField(_l("E-mail address of the person"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
