from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..models.consent import CONSENT, OBJECTION, STAND_ASIDE

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


class JoinRequestForm(FlaskForm):
    message = TextAreaField(_l("A word for the circle's members (who you are, what you would bring)"),
                            validators=[Optional(), Length(max=2000)])


class ExitProposalForm(FlaskForm):
    person = SelectField(_l("Member"), coerce=int, validate_choice=True)
    reason = TextAreaField(_l("Reason for proposing this exit"), validators=[DataRequired(), Length(max=2000)])


class AnswerForm(FlaskForm):
    answer = RadioField(_l("Your answer"), choices=[(CONSENT, _l("Consent")), (OBJECTION, _l("Objection")),
                                                    (STAND_ASIDE, _l("I stand aside"))],
                        validators=[DataRequired()])
    reason = TextAreaField(_l("Reason (required for an objection)"), validators=[Optional(), Length(max=2000)])

    def validate_reason(self, field):
        if self.answer.data == OBJECTION and not (field.data or "").strip():
            raise ValidationError(_l("An objection needs its reason: say what you cannot accept, and why."))


class LeaveForm(FlaskForm):
    """Leaving the circle: a confirmed button (CSRF only)."""
