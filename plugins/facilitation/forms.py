"""The plug-in's forms (Flask-WTF: CSRF token included)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .models import NAME_MAX

KIND_CHOICES = [("intervention", _l("An intervention")), ("reply", _l("A direct reply to the person speaking")),
                ("procedure", _l("A point of procedure (on how the meeting is run)"))]


def _groups(form, names: list[str]) -> None:
    """Offer the assembly's lists, or no list field at all (the same form instance serves a
    whole request: the field may be gone already)."""
    if "group" not in form:
        return
    form.group.choices = [(name, name) for name in names]
    if not names:
        del form.group


class AskForm(FlaskForm):
    kind = RadioField(_l("I ask for"), choices=KIND_CHOICES, default="intervention",
                      validators=[DataRequired(_l("Choose what kind of turn you ask for."))])
    # The service says whether the list is one of the assembly's (its message, by the field).
    group = RadioField(_l("My list"), validators=[Optional()], validate_choice=False)

    def with_groups(self, names: list[str]) -> AskForm:
        _groups(self, names)
        return self


class AddNameForm(FlaskForm):
    name = StringField(_l("Name of the person"), validators=[
        DataRequired(_l("Write the person's name.")),
        Length(max=NAME_MAX, message=_l("At most %(max)d characters.", max=NAME_MAX))])
    kind = RadioField(_l("Kind of turn"), choices=KIND_CHOICES, default="intervention",
                      validators=[DataRequired(_l("Choose what kind of turn you ask for."))])
    group = RadioField(_l("List"), validators=[Optional()], validate_choice=False)

    def with_groups(self, names: list[str]) -> AddNameForm:
        _groups(self, names)
        return self


class NotesForm(FlaskForm):
    body = TextAreaField(_l("Notes of the discussion (Markdown)"), validators=[
        Length(max=20000, message=_l("At most %(max)d characters.", max=20000))])
    decisions = TextAreaField(_l("Decisions taken, with their links (Markdown)"), validators=[
        Length(max=5000, message=_l("At most %(max)d characters.", max=5000))])


def _usual_options() -> str:
    # Ready as they are, so the vote opens in one tap; the facilitator may type others.
    return "\n".join((str(_l("Adopt")), str(_l("Do not adopt"))))


class ItemVoteForm(FlaskForm):
    options = TextAreaField(_l("Options of the vote, one a line"), default=_usual_options, validators=[
        DataRequired(_l("Write at least two options, one a line.")),
        Length(max=5000, message=_l("At most %(max)d characters.", max=5000))])
