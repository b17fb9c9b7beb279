"""The forms of the declaration's pages (Flask-WTF: CSRF included)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from convergence.web.inputs import LocalDateTimeField

from .declaration_models import KIND_ADD, KIND_MODIFY
from .models import NAME_MAX

#: The article select's value for « at the start » (numbers start at 1).
AT_START = "0"


class DeclarationForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give the declaration a title.")),
                                                 Length(max=NAME_MAX)])
    text = TextAreaField(_l("Text in Markdown"), validators=[Optional()],
                         description=_l("Each heading (« ## Le logement ») opens a section; each paragraph under "
                                        "it becomes a numbered article."))
    file = FileField(_l("Or a Markdown or text file (.md, .txt)"),
                     render_kw={"accept": ".md,.txt,text/markdown,text/plain"})


class ArticleForm(FlaskForm):
    text = TextAreaField(_l("Wording"), validators=[DataRequired(_l("Write the wording of the article."))])


class AmendForm(FlaskForm):
    kind = RadioField(_l("The amendment"), choices=[(KIND_MODIFY, _l("changes an article")),
                                                    (KIND_ADD, _l("adds an article"))],
                      default=KIND_MODIFY, validators=[DataRequired(_l("Choose what the amendment does."))])
    article = SelectField(_l("Article changed, or the one the new article follows"), validate_choice=False)
    text = TextAreaField(_l("New wording"), validators=[DataRequired(_l("Write the wording of the article."))])
    explanation = TextAreaField(_l("Explanation"), validators=[Optional()])


class ContributionForm(FlaskForm):
    """A commune's facilitator sends an adopted proposal to the meeting's declaration."""

    kind = RadioField(_l("Send the proposal"),
                      choices=[("contribution", _l("as a contribution to the declaration")),
                               ("amendment", _l("as an amendment, in the name of the commune's delegation"))],
                      default="contribution", validators=[DataRequired(_l("Choose how the proposal is sent."))])
    summary = TextAreaField(_l("A word to the meeting (optional)"), validators=[Optional()],
                            description=_l("For an amendment, it becomes its explanation."))
    amendment_kind = RadioField(_l("The amendment"), choices=[(KIND_MODIFY, _l("changes an article")),
                                                              (KIND_ADD, _l("adds an article"))],
                                default=KIND_ADD, validators=[Optional()])
    article = SelectField(_l("Article changed, or the one the new article follows"), validate_choice=False)
    text = TextAreaField(_l("Wording of the article"), validators=[Optional()])


class DeadlineForm(FlaskForm):
    """The committee's time after which no amendment is tabled (empty: none)."""

    deadline = LocalDateTimeField(_l("Amendments tabled until (empty: until the committee closes them)"),
                                  validators=[Optional()])
