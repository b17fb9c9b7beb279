"""The forms of the council decision and of the follow-up pages (pb-decision)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from convergence.web.inputs import WholeNumberField

from .follow_up_data import MONEY_MAX
from .models import FOLLOW_UP_STATUSES, REASON_MAX, TEXT_MAX, TITLE_MAX

STATUS_LABELS = {
    "to_start": _l("To start"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "abandoned": _l("Abandoned"),
}
assert set(STATUS_LABELS) == set(FOLLOW_UP_STATUSES)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _reasonable_date(_form, field):
    if field.data is not None and not date(1900, 1, 1) <= field.data <= date(2999, 12, 31):
        raise ValidationError(_("Give a date between the years %(first)d and %(last)d.", first=1900, last=2999))


class DecisionForm(FlaskForm):
    number = StringField(_l("Number of the deliberation"), filters=[_strip], validators=[
        DataRequired(_l("Give the deliberation's number.")), Length(max=60)],
        description=_l("As the council's register writes it, e.g. 2026-042."))
    decided_on = DateField(_l("Date of the council's vote"), validators=[
        InputRequired(_l("Give the date of the council's vote.")), _reasonable_date])
    text = TextAreaField(_l("Text of the deliberation"), filters=[_strip], validators=[
        Length(max=TEXT_MAX, message=_l("The text is longer than %(n)d characters.", n=TEXT_MAX))])
    document = FileField(_l("Signed deliberation (PDF, 5 MB at most)"),
                         render_kw={"accept": ".pdf,application/pdf"})


class FollowUpForm(FlaskForm):
    status = SelectField(_l("Status"), choices=list(STATUS_LABELS.items()),
                         validators=[InputRequired(_l("Choose a status."))])
    progress = WholeNumberField(_l("Progress (%)"), validators=[
        InputRequired(_l("Give the progress, from 0 to 100.")),
        NumberRange(0, 100, _l("The progress is a percentage, between 0 and 100."))],
        render_kw={"inputmode": "numeric"})
    committed = WholeNumberField(_l("Money committed (€)"), validators=[
        InputRequired(_l("Give the money committed, 0 if none.")), NumberRange(0, MONEY_MAX)],
        render_kw={"inputmode": "numeric"})
    spent = WholeNumberField(_l("Money spent (€)"), validators=[
        InputRequired(_l("Give the money spent, 0 if none.")), NumberRange(0, MONEY_MAX)],
        render_kw={"inputmode": "numeric"})
    reason = TextAreaField(_l("Why the project is abandoned (public)"), filters=[_strip], validators=[
        Length(max=REASON_MAX, message=_l("The reason is longer than %(n)d characters.", n=REASON_MAX))])


class MilestoneForm(FlaskForm):
    on = DateField(_l("Date"), validators=[InputRequired(_l("Give the milestone's date.")), _reasonable_date])
    label = StringField(_l("Milestone"), filters=[_strip], validators=[
        DataRequired(_l("Name the milestone.")), Length(max=TITLE_MAX)])


class MilestoneDoneForm(FlaskForm):
    # The button says what it sets, so a second press (or a replay) changes nothing.
    done = HiddenField()


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file of the follow-up (UTF-8)"), render_kw={"accept": ".csv,text/csv"})


