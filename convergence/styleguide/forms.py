"""A sample form for the style guide: every kind of field, once as it first shows and once
with its errors. Sent by GET to the page itself (it changes nothing), so it needs no CSRF."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired


class SampleForm(FlaskForm):
    class Meta:
        csrf = False

    title = StringField(_l("Title"), validators=[InputRequired()])
    category = SelectField(_l("Category"), choices=[("food", _l("Food")), ("housing", _l("Housing"))])
    answer = RadioField(_l("Your answer"), choices=[("consent", _l("Consent")), ("objection", _l("Objection")),
                                                   ("stand_aside", _l("I stand aside"))])
    reason = TextAreaField(_l("Reason"))
    remember = BooleanField(_l("Stay logged in on this device"))
