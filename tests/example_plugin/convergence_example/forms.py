"""The plug-in's one form (Flask-WTF: CSRF token included)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .models import MESSAGE_MAX


class GreetingForm(FlaskForm):
    message = StringField(_l("Your greeting"), validators=[
        DataRequired(_l("Write a few words.")),
        Length(max=MESSAGE_MAX, message=_l("At most %(max)d characters.", max=MESSAGE_MAX))])
