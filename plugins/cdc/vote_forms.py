"""The forms of the floor votes and of the adoption."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField
from wtforms.validators import DataRequired, InputRequired

CHOICE_LABELS = {"for": _l("For"), "against": _l("Against"), "abstain": _l("Abstention")}


def _choice():
    return RadioField(_l("Your delegation's voice"), choices=list(CHOICE_LABELS.items()),
                      validators=[InputRequired(_l("Choose for, against or abstention."))])


class OpenVoteForm(FlaskForm):
    # "" = the whole text; otherwise the id of an amendment (choices set by the page).
    subject = SelectField(_l("Put to the vote"), coerce=str, validate_choice=False)


class VoiceForm(FlaskForm):
    choice = _choice()


class CardForm(FlaskForm):
    delegation = SelectField(_l("Delegation raising its card"), coerce=str, validate_choice=False,
                             validators=[DataRequired(_l("Choose the delegation."))])
    choice = _choice()


class CloseVoteForm(FlaskForm):
    pass


class ConsentForm(FlaskForm):
    no_objection = BooleanField(_l("No delegation objected to the text as it stands"),
                                validators=[DataRequired(_l("Tick the box to record that no delegation objected."))])
