"""Every form of the plug-in (WTForms through Flask-WTF: never ``request.form`` by hand).

Two forms have fields that depend on the vote: the ballot (one group of radio buttons per
option, read by the counting method, ``method.py``) and a batch of paper counts (one number
per option and grade). The ballot's form is on the platform's hottest path: one field reads
every grade, and its CSRF token is checked once, by the core's CSRFProtect, before the view
(:class:`BallotForm`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtf_translations
from wtforms import (
    BooleanField,
    Field,
    Form,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, StopValidation, ValidationError

from convergence.balloting import InvalidBallot

from convergence.models.base import utcnow
from convergence.web.inputs import LocalDateTimeField, WholeNumberField

from .ballots import MAJORITY_JUDGMENT, normalise_receipt
from .paper import LABEL_MAX, MAX_COUNT
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


RECEIPT_MAX = 40  # a receipt is 14 characters; typed with spaces or dots, a few more


def _strip(value):
    return value.strip() if isinstance(value, str) else value


# Messages made while a form is checked are plain text (gettext, not lazy_gettext): a lazy
# string passes Jinja's autoescape untouched.
def _a_receipt(_form, field) -> None:
    if field.data and normalise_receipt(field.data) is None:
        raise ValidationError(_("This is not a receipt: a receipt looks like ABCD-EFGH-JKMN."))


def _receipt_field(label):
    return StringField(label, filters=[_strip], validators=[Optional(), Length(max=RECEIPT_MAX), _a_receipt])


class CodeEntryForm(FlaskForm):
    code = StringField(_l("Your voting code"), filters=[_strip], validators=[DataRequired(), Length(max=40)])
    receipt = _receipt_field(_l("Your receipt (only to change a ballot already cast)"))


class CodeLinkForm(FlaskForm):
    """The code in the link of a QR code (``…/code?c=ABCDE-12345``): a GET, nothing changes."""

    class Meta:
        csrf = False

    c = StringField(filters=[_strip], validators=[Optional(), Length(max=40)])


class GradesField(Field):
    """Every grade of a ballot, one ``option-<id>`` group of radio buttons per option of the
    vote (drawn by the counting method's partial, ``mj/_ballot_fields.html``). The counting
    method reads them (``MajorityJudgment.read``) once the form knows the vote's sheet:
    ``data`` is then {option id: grade} of what was chosen, ``option_errors`` the message of
    each option without a possible grade, and a field naming an option of another vote
    refuses the whole ballot."""

    def __init__(self, label=None, **kwargs):
        super().__init__(label, **kwargs)
        self.option_errors: dict[int, str] = {}
        self.tampered: str | None = None

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.data = {}
        self.formdata = formdata

    def read(self, sheet) -> None:
        if self.formdata is None:
            return
        try:
            self.data = MAJORITY_JUDGMENT.read(sheet, self.formdata)
        except InvalidBallot as refused:
            self.data = refused.content or {}
            # As text: a lazy string would go into the page unescaped.
            self.option_errors = {option_id: str(error) for option_id, error in refused.errors.items()}
            self.tampered = str(refused.message) if refused.message else None

    def pre_validate(self, form) -> None:
        self.read(form.sheet)
        if self.tampered:
            raise StopValidation(self.tampered)
        if self.option_errors:
            raise StopValidation(_("Your ballot was not recorded: give a grade to every option."))


class BallotForm(Form):
    """A ballot, and the receipt of the ballot it replaces (once the person has voted).

    A plain WTForms form, given what was posted (:func:`ballot_form`), not a FlaskForm: the
    core's CSRFProtect checks the token of every POST before the view (a ballot without it
    gets 400), and checked twice it would cost every ballot an HMAC, and Flask-WTF's look
    for files and JSON, for nothing; the page still sends the token (``csrf_token()`` in
    the template). Messages come from Flask-WTF's catalogue, as in every other form."""

    class Meta:
        def get_translations(self, form):
            return wtf_translations

    grades = GradesField(_l("Grades"))
    receipt = _receipt_field(_l("Your receipt"))

    def __init__(self, formdata=None, *, sheet=None, **kwargs):
        self.sheet = sheet
        super().__init__(formdata, **kwargs)


def ballot_form(sheet, formdata=None, **kwargs) -> BallotForm:
    """The ballot's form of a vote (its sheet): bound to ``formdata`` (the request's form) or empty."""
    return BallotForm(formdata, sheet=sheet, **kwargs)


class PaperBatchForm(FlaskForm):
    """A batch of paper ballots: its name, and one count per option and grade, in fields
    named ``count-<option id>-<grade>`` (added for the vote by :func:`paper_batch_form`)."""

    label = StringField(_l("Name of the batch (optional)"), filters=[_strip],
                        validators=[Optional(), Length(max=LABEL_MAX)])

    def count_field(self, option_id: int, grade: int):
        return self[f"count-{option_id}-{grade}"]

    def counts(self, vote) -> dict[int, list[int]]:
        """{option id: [count per grade]}, an empty count being 0."""
        return {option.id: [self.count_field(option.id, grade).data or 0 for grade in range(vote.n_grades)]
                for option in vote.options}

    def option_errors(self, vote) -> dict[int, str]:
        """One message per option with a count that is not a number from 0 to 1,000,000."""
        return {option.id: _("Counts are whole numbers from 0 to 1,000,000.")
                for option in vote.options
                if any(self.count_field(option.id, grade).errors for grade in range(vote.n_grades))}


def paper_batch_form(vote, **kwargs) -> PaperBatchForm:
    """The paper form of this vote (its options and grades); bound to what was posted."""
    fields = {f"count-{option.id}-{grade}": WholeNumberField(
                  validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)])
              for option in vote.options for grade in range(vote.n_grades)}
    return type("VotePaperBatchForm", (PaperBatchForm,), fields)(**kwargs)


class SheetForm(FlaskForm):
    """How many paper ballots per printed page: a GET, nothing changes."""

    class Meta:
        csrf = False

    exemplaires = WholeNumberField(_l("Copies per printout"), default=1,
                                   validators=[Optional(), NumberRange(min=1, max=50)])

    def copies(self) -> int:
        # Too many is printed as the most a page takes, nonsense as one copy.
        wanted = self.exemplaires.data if self.exemplaires.data is not None else 1
        return min(max(wanted, 1), 50)


class RegisterLookupForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search: nothing changes

    receipt = StringField(_l("Your receipt"), validators=[Optional(), Length(max=40)])
