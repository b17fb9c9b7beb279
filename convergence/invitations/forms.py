from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, NumberRange, Optional

from ..web.inputs import WholeNumberField


class InvitationForm(FlaskForm):
    label = StringField(_l("Label (e.g. « Projector, 12 March »)"), validators=[Optional(), Length(max=120)])
    valid_days = WholeNumberField(_l("Valid for (days)"), default=7, validators=[Optional(), NumberRange(min=1, max=365)])
    max_uses = WholeNumberField(_l("Maximum number of people (empty: no limit)"),
                            validators=[Optional(), NumberRange(min=1, max=100000)])
