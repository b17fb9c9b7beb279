"""Posting a comment from a plug-in's page, in the one request flow: a plug-in's handler
of its item's page takes :class:`CommentPost` and calls :meth:`post_comment`; an empty or
too long comment draws the page again with the message next to the field and what was
typed (the page passes ``comment_form=self.form(CommentForm)`` to ``discussion``)."""

from __future__ import annotations

from flask_login import current_user

from ..refusal import Refused
from . import comments
from .forms import CommentForm


class CommentPost:
    """A mixin for a :class:`~convergence.web.handlers.Handler` whose ``render()`` is the
    item's page; the caller has checked its rule and commits through the flow."""

    posts = "CommentForm"

    def post_comment(self, subject_id: int):
        """The comment written; :class:`Refused` (422) about the comment's field when it
        is empty, too long or answers a comment that is not there."""
        form = self.form(CommentForm)
        with self.refusals_at(form.body):
            if not form.validate():
                raise Refused(next(iter(sum(form.errors.values(), []))), 422)
            return comments.add(subject_id, current_user, form.body.data, form.parent_id.data or None)
