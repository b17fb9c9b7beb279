"""Every form of the proposals pages (Flask-WTF: CSRF token included); no ``request.form``
read by hand. Field names are those the pages always posted, so links and scripts that
post them still work. Several forms of the proposal page post to the same address (the
three ways to change a status); each keeps its own field ids so that the one sent is drawn
again with its message next to its field (views/pages.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from convergence.web.inputs import LocalDateTimeField, WholeNumberField

from .models import (ANSWERS, BODY_MAX, OBJECTION, REASON_MAX, REJECTED, ROUND_ASYNC, ROUND_LIVE,
                     SUBMITTED, TITLE_MAX, TO_ASSEMBLY, TO_CIRCLE, WITHDRAWN)

NOTE_MAX, EXPLANATION_MAX, QUESTION_MAX, EMAIL_MAX, NEEDS_MAX = 300, 5_000, 300, 200, 200


def _squash(value):
    """A one-line field: spaces inside collapsed, none around."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _longer_than(limit: int):
    return Length(max=limit, message=_l("At most %(max)d characters.", max=limit))


def _reason(label, *, required=None, field_id=None):
    # Not Optional() when not required: it would stop the form's own check of the field.
    validators = [DataRequired(required)] if required else []
    return StringField(label, id=field_id, filters=[_strip], validators=[*validators, _longer_than(REASON_MAX)])


# -- writing ----------------------------------------------------------------------------

class _Text(FlaskForm):
    title = StringField(_l("Title"), filters=[_squash], validators=[
        DataRequired(_l("The title is required.")), _longer_than(TITLE_MAX)])
    body = TextAreaField(_l("Text"), filters=[_strip], validators=[
        DataRequired(_l("The text of the proposal is required.")), _longer_than(BODY_MAX)],
                         render_kw={"rows": 14})


class ProposalForm(_Text):
    """A new proposal; the handler fills ``circle_id``'s choices with the commune's circles."""

    circle_id = SelectField(_l("Circle carrying the proposal (optional)"), validate_choice=False, choices=[("", "—")])
    needs = StringField(_l("Needs it answers (their numbers, separated by commas)"), filters=[_strip],
                        validators=[Optional(), _longer_than(NEEDS_MAX)], render_kw={"inputmode": "numeric"})


class VersionForm(_Text):
    """A new version, on top of the one the form was opened on (the service checks it)."""

    base_version = HiddenField()
    note = StringField(_l("What you changed (optional)"), filters=[_strip],
                       validators=[Optional(), _longer_than(NOTE_MAX)])


class AmendmentForm(FlaskForm):
    """``paragraph``'s choices are the current text's paragraphs (the handler fills them)."""

    base_version = HiddenField()
    paragraph = SelectField(_l("What you amend"), validate_choice=False, choices=[("", _l("The whole text"))])
    new_text = TextAreaField(_l("Amended text"), validators=[_longer_than(BODY_MAX)], render_kw={"rows": 10})
    explanation = TextAreaField(_l("Why (optional)"), filters=[_strip],
                                validators=[Optional(), _longer_than(EXPLANATION_MAX)], render_kw={"rows": 3})


class RejectAmendmentForm(FlaskForm):
    reason = _reason(_l("Reason for rejecting"), required=_l("Give the reason for rejecting the amendment."))


class InviteAuthorForm(FlaskForm):
    email = StringField(_l("E-mail address of a participant"), id="invite-email", filters=[_strip],
                        validators=[DataRequired(_l("Give the e-mail address of a participant.")),
                                    _longer_than(EMAIL_MAX)], render_kw={"type": "email", "autocomplete": "off"})


# -- status: three forms of the proposal page, one address ------------------------------

class OpenToDiscussionForm(FlaskForm):
    status = HiddenField(default="discussion")


class SubmitForm(FlaskForm):
    status = HiddenField(default=SUBMITTED)
    submitted_to = SelectField(_l("Submit it to"), validate_choice=False, choices=[(TO_ASSEMBLY, _l("the assembly"))])


class WithdrawForm(FlaskForm):
    status = HiddenField(default=WITHDRAWN)
    reason = _reason(_l("Reason for withdrawing"), field_id="withdraw-reason",
                     required=_l("Give the reason for withdrawing the proposal."))


class DecisionForm(FlaskForm):
    """The assembly's decision, recorded by a facilitator; the service says which steps
    are possible now."""

    status = SelectField(_l("Record the assembly's decision"), id="decision", validate_choice=False,
                         choices=[("adopted", _l("Adopted")), (REJECTED, _l("Rejected"))])
    reason = _reason(_l("Reason or reference (required to reject)"), field_id="decision-reason")

    def validate_reason(self, field):
        if self.status.data == REJECTED and not field.data:
            raise ValidationError(_l("Give the reason for rejecting the proposal."))


class StatusAsked(FlaskForm):
    """Only the status a status form asks for: which of them was sent."""

    status = HiddenField()


def status_form_for(posted_status: str | None, current_status: str):
    """Which of the status forms was sent, from the status it asks for."""
    if posted_status == WITHDRAWN:
        return WithdrawForm
    if posted_status == SUBMITTED:
        return SubmitForm
    if posted_status == "discussion" and current_status == "draft":
        return OpenToDiscussionForm
    return DecisionForm


# -- consent rounds ---------------------------------------------------------------------

class OpenRoundForm(FlaskForm):
    mode = RadioField(_l("Open a consent round"), default=ROUND_LIVE,
                      choices=[(ROUND_LIVE, _l("Live, in the meeting")), (ROUND_ASYNC, _l("Open until a deadline"))])
    deadline = LocalDateTimeField(_l("Deadline (for a round open until a deadline)"), validators=[Optional()])
    submitted_to = SelectField(_l("Who answers"), id="round-to", validate_choice=False,
                               choices=[(TO_ASSEMBLY, _l("the assembly")), (TO_CIRCLE, _l("the circle"))])

    def validate_deadline(self, field):
        if self.mode.data == ROUND_ASYNC and field.data is None and not field.errors:
            raise ValidationError(_l("Give the deadline of a round open until a deadline."))


class ConsentAnswerForm(FlaskForm):
    """``answer``'s labels are the core's (consent/rounds.py): the handler passes them."""

    answer = RadioField(_l("Your answer"), choices=[(value, value) for value in ANSWERS],
                        validators=[DataRequired(_l("Choose your answer."))])
    reason = TextAreaField(_l("Reason (required for an objection)"), id="round-reason", filters=[_strip],
                           validators=[_longer_than(REASON_MAX)], render_kw={"rows": 2})

    def validate_reason(self, field):
        if self.answer.data == OBJECTION and not field.data:
            raise ValidationError(_l("An objection needs its reason: say what in the proposal you cannot accept, "
                                     "and why."))


class ResolveObjectionForm(FlaskForm):
    resolution = _reason(_l("How the objection was treated"),
                         required=_l("Say how the objection was treated."))


# -- discussion (a comment's form is the core's: convergence/participation/forms.py) ----

class ReportForm(FlaskForm):
    reason = _reason(_l("What is wrong (optional)"))


class ModerationForm(FlaskForm):
    action = HiddenField()
    reason = _reason(_l("Reason"))
    next = HiddenField()


# -- the assembly's proposals -----------------------------------------------------------

class ThresholdForm(FlaskForm):
    support_threshold = WholeNumberField(_l("Supports needed to reach the agenda"), validators=[
        DataRequired(_l("The threshold is a whole number from 1 to 100,000.")),
        NumberRange(min=1, max=100_000, message=_l("The threshold is a whole number from 1 to 100,000."))])


class VoteForm(FlaskForm):
    """Proposals and amendments put to a vote; the service checks each one named."""

    question = StringField(_l("Question"), filters=[_squash], validators=[
        DataRequired(_l("Write the question of the vote.")), _longer_than(QUESTION_MAX)])
    proposal = SelectMultipleField(_l("Proposals"), validate_choice=False)
    amendment = SelectMultipleField(_l("Amendments"), validate_choice=False)


class ApplyVoteForm(FlaskForm):
    proposal_id = HiddenField()
