"""Forms of the plug-in. The ballot itself is read by hand (its fields depend on the
vote), with :class:`CsrfForm` for the token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from convergence.models.base import utcnow
from convergence.web.inputs import LocalDateTimeField, WholeNumberField

from .scales import CUSTOM, DEFAULT_SCALE, scale_choices

VOTER_CHOICES = [
    ("members", _l("Members of the assembly (people with a role in the assembly or its commune)")),
    ("codes", _l("Holders of a single-use voting code (printed or sent; no account needed)")),
]
CIRCLE_VOTER_CHOICES = [
    ("members", _l("Members of the circle")),
    ("commune", _l("Members of the commune (everyone with a role in the commune or in the circle)")),
    VOTER_CHOICES[1],
]


def voter_choices(in_circle: bool) -> list[tuple[str, object]]:
    """Who may vote: an assembly's participants or a circle's (or its commune's) members,
    or code holders."""
    return CIRCLE_VOTER_CHOICES if in_circle else VOTER_CHOICES


START_CHOICES = [
    ("later", _l("I will open it myself from the vote's page")),
    ("now", _l("Open it now")),
    ("scheduled", _l("Open it at the time below")),
]


class CsrfForm(FlaskForm):
    """Only the CSRF token: what is posted is read from the request."""


class VoteForm(FlaskForm):
    question = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Explanation (optional, Markdown)"), validators=[Optional(), Length(max=5000)])
    options = TextAreaField(_l("Options, one per line"), validators=[DataRequired(), Length(max=20000)])
    scale = SelectField(_l("Grades"), choices=scale_choices(), default=DEFAULT_SCALE)
    custom_grades = TextAreaField(_l("Your own grades, one per line, from the best to the worst"),
                                  validators=[Optional(), Length(max=1000)])
    voters = RadioField(_l("Who may vote"), choices=VOTER_CHOICES, default="members")
    live_results = BooleanField(_l("Show the results while voting is open (otherwise only after the close)"))
    start = RadioField(_l("Opening"), choices=START_CHOICES, default="later")
    opens_at = LocalDateTimeField(_l("Opens at"), validators=[Optional()])
    closes_at = LocalDateTimeField(_l("Closes at (optional: otherwise a facilitator closes it)"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        # Cross-field rules here: Optional() stops a field's own chain when it is empty.
        valid = super().validate(extra_validators)
        if self.scale.data == CUSTOM and not (self.custom_grades.data or "").strip():
            self.custom_grades.errors = [*self.custom_grades.errors, _l("Type your grades, one per line.")]
            valid = False
        if self.start.data == "scheduled" and not self.opens_at.data:
            self.opens_at.errors = [*self.opens_at.errors, _l("Give the opening time.")]
            valid = False
        if self.closes_at.data:
            if to_utc(self.closes_at.data) <= utcnow():
                self.closes_at.errors = [*self.closes_at.errors, _l("The closing time is already past.")]
                valid = False
            elif self.start.data == "scheduled" and self.opens_at.data and self.closes_at.data <= self.opens_at.data:
                self.closes_at.errors = [*self.closes_at.errors, _l("The vote must close after it opens.")]
                valid = False
        return valid

    # -- conversions: the form speaks the assembly's local time, the database UTC --------
    def option_lines(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]

    def grade_lines(self) -> list[str]:
        # Typed best first (the order people think in); stored worst first.
        return [line.strip() for line in (self.custom_grades.data or "").splitlines() if line.strip()][::-1]

    def schedule(self):
        """(opens_at, closes_at) in naive UTC."""
        closes_at = to_utc(self.closes_at.data) if self.closes_at.data else None
        if self.start.data == "now":
            return utcnow(), closes_at
        if self.start.data == "scheduled":
            return to_utc(self.opens_at.data), closes_at
        return None, closes_at

    def fill_from(self, vote) -> None:
        self.question.data = vote.question
        self.description.data = vote.description
        self.options.data = "\n".join(o.label for o in vote.options)
        self.scale.data = vote.scale
        self.custom_grades.data = "\n".join(reversed(vote.custom_grades or []))
        self.voters.data = vote.voters
        self.live_results.data = vote.live_results
        self.start.data = "scheduled" if vote.opens_at else "later"
        if vote.opens_at:
            self.opens_at.data = to_user_timezone(vote.opens_at).replace(tzinfo=None)
        if vote.closes_at:
            self.closes_at.data = to_user_timezone(vote.closes_at).replace(tzinfo=None)


class CodesForm(FlaskForm):
    count = WholeNumberField(_l("Number of codes to create"), default=20,
                         validators=[DataRequired(), NumberRange(min=1, max=1000)])


class CodeEntryForm(FlaskForm):
    code = StringField(_l("Your voting code"), validators=[DataRequired(), Length(max=40)])


class RegisterLookupForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search: nothing changes

    receipt = StringField(_l("Your receipt"), validators=[Optional(), Length(max=40)])
