from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

CIRCLE_ROLE_CHOICES = [
    ("co_lead", _l("Co-lead")),
    ("facilitator", _l("Facilitator")),
    ("guarantor", _l("Guarantor")),
    ("member", _l("Member")),
]


class CircleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    purpose = TextAreaField(_l("Purpose (raison d'être)"), validators=[DataRequired(), Length(max=5000)])
    decision_perimeter = TextAreaField(_l("Decision perimeter"), validators=[Optional(), Length(max=5000)])


class MembershipDecisionForm(FlaskForm):
    email = EmailField(_l("E-mail address of the person"), validators=[DataRequired(), Email(), Length(max=254)])
    kind = SelectField(_l("Decision"), choices=[("join", _l("Entry")), ("leave", _l("Exit"))])
    role = SelectField(_l("Role"), choices=CIRCLE_ROLE_CHOICES, default="member")
    decided_on = DateField(_l("Date of the decision"), validators=[DataRequired()])
    decision = TextAreaField(_l("Decision taken by consent (meeting, reference, objections raised)"),
                             validators=[DataRequired(), Length(max=2000)])
