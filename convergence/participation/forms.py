"""The form of a comment (a new one or a reply), shared by every plug-in's discussion
(templates/participation/_comments.html): drawn again with its message and what was typed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length

from .models import COMMENT_MAX


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[
        DataRequired(_l("The comment is empty.")),
        Length(max=COMMENT_MAX, message=_l("The comment is longer than %(max)d characters."))])
    parent_id = HiddenField()
