"""Single-use tokens of creating forms: a form sent twice creates nothing the second time.

Every creating form carries a hidden ``form_token`` made when the form is rendered and
signed for the person who sees it (their account, or their session before they log in),
so nobody can make or reuse a token that would block someone else's submission. The view
consumes it in the transaction that creates: :func:`claim` inserts its digest into
``form_submissions`` (unique) with the page of what is created. A replay of the form
finds its token already there before anything is checked, and is sent to that page; two
copies arriving at the same instant meet on the unique index, and the one that loses
rolls back with everything it wrote.

Tokens live ``FORM_TOKEN_MAX_AGE`` seconds: an older form is refused as expired, which is
what lets consumed tokens be forgotten after that time.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, TimestampSigner
from markupsafe import Markup, escape
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import FormSubmission
from ..models.base import utcnow
from .errors import abort_with

FIELD = "form_token"
SESSION_SUBJECT = "form_subject"


class Replayed(Exception):
    """The form had already been sent: ``url`` is the page of what it created."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def _subject() -> str:
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    if SESSION_SUBJECT not in session:
        session[SESSION_SUBJECT] = secrets.token_urlsafe(16)
    return "session:" + session[SESSION_SUBJECT]


def _signer(subject: str) -> TimestampSigner:
    # One per request and person: a page may hold a form per comment.
    signers = g.setdefault("form_token_signers", {})
    if subject not in signers:
        signers[subject] = TimestampSigner(current_app.secret_key, salt="form-token\n" + subject,
                                           digest_method=hashlib.sha256)
    return signers[subject]


def _digest(subject: str, nonce: str) -> str:
    # What is stored names neither the person nor the token shown in the page.
    return hashlib.sha256(f"{subject}\n{nonce}".encode()).hexdigest()


def new_token() -> str:
    subject = _subject()
    return _signer(subject).sign(secrets.token_urlsafe(16)).decode()


def token_field() -> Markup:
    """The hidden field of a creating form (a new token at every rendering)."""
    return Markup('<input type="hidden" name="%s" value="%s">') % (FIELD, escape(new_token()))


def _expired():
    abort_with(400, _("The form has expired. Reload the page and send it again."))


def _first_page(key: str) -> str | None:
    return db.session.scalar(db.select(FormSubmission.url).where(FormSubmission.token == key))


def _replayed(url: str):
    flash(_("This form had already been sent: nothing was created a second time."), "info")
    return redirect(url, 303)


def check_posted_token():
    """Before the view: a posted token must be valid for this person; a token already
    consumed sends the person to what it created, before any validation (which would
    otherwise say, for instance, that the address just created is taken)."""
    if request.method != "POST":
        return None
    raw = request.form.get(FIELD)
    if raw is None:
        return None
    subject = _subject()
    try:
        nonce = _signer(subject).unsign(raw, max_age=current_app.config["FORM_TOKEN_MAX_AGE"]).decode()
    except BadSignature:  # forged, made for someone else, or too old
        _expired()
    key = g.form_token_key = _digest(subject, nonce)
    url = _first_page(key)
    return _replayed(url) if url is not None else None


def claim(url: str) -> None:
    """Consume the posted token in the transaction that creates (before its commit);
    ``url`` is the page of what is created. Raises :class:`Replayed` when another copy
    of the form was consumed first. Called before the creation's own inserts where they
    carry a unique constraint, the copy that loses stops here, not on that constraint."""
    key = g.get("form_token_key")
    if key is None:
        _expired()
    db.session.add(FormSubmission(token=key, url=url))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        first = _first_page(key)
        if first is None:  # another constraint failed: not a replay
            raise
        raise Replayed(first) from None
    cutoff = utcnow() - timedelta(seconds=current_app.config["FORM_TOKEN_MAX_AGE"])
    db.session.execute(db.delete(FormSubmission).where(FormSubmission.created_at < cutoff)
                       .execution_options(synchronize_session=False))


def register_replay_guard(app: Flask) -> None:
    app.before_request(check_posted_token)
    app.register_error_handler(Replayed, lambda replay: _replayed(replay.url))
    app.jinja_env.globals["form_token_field"] = token_field
