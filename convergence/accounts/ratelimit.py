"""Login throttling kept in the database, so it holds across workers and app servers.

Each attempt first adds one to two counters, by a single UPSERT each that returns the new
count: the (account, client) pair's and the client's over all accounts. Parallel attempts
are therefore counted exactly, and only those within the limit get a password check.
A stranger's failures count against the stranger's own pair: they never lock the person out
from another client. The per-client bound is wider (a village hall's Wi-Fi), does not count
successful logins, and a person behind it is let through by the mailed unlock link.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, request, session
from sqlalchemy import case

from ..extensions import db
from ..models import LoginThrottle
from ..models.base import utcnow

ANY_ACCOUNT = "*"
UNLOCKED_KEY = "login_unlocked"


def account_digest(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _client() -> str:
    return (request.remote_addr or "")[:64]


@dataclass
class Attempt:
    account: str
    client: str
    allowed: bool
    # The first refusal of this window: the only one that mails the person an unlock link.
    first_refusal: bool


def _insert(dialect: str):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def _count(account: str, client: str, now, since) -> int:
    table = LoginThrottle.__table__
    insert = _insert(db.session.get_bind().dialect.name)(table).values(
        account_digest=account, client=client, attempts=1, window_started_at=now)
    over = table.c.window_started_at < since  # the old window is over: this one starts now
    insert = insert.on_conflict_do_update(
        index_elements=[table.c.account_digest, table.c.client],
        set_={"attempts": case((over, 1), else_=table.c.attempts + 1),
              "window_started_at": case((over, insert.excluded.window_started_at),
                                        else_=table.c.window_started_at)},
    ).returning(table.c.attempts)
    return db.session.execute(insert).scalar_one()


def attempt(email: str) -> Attempt:
    """Count this login attempt, before any password is checked, and say whether it may go on."""
    config = current_app.config
    now = utcnow()
    since = now - timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    account, client = account_digest(email), _client()
    pair = _count(account, client, now, since)
    on_client = _count(ANY_ACCOUNT, client, now, since)
    db.session.commit()
    if pair == 1:
        # A window starts for this pair: the moment to drop the counters whose window is over.
        db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.window_started_at < since))
        db.session.commit()
    limit = config["LOGIN_MAX_FAILURES"]
    over_pair = pair > limit
    over_client = on_client > config["LOGIN_MAX_FAILURES_PER_CLIENT"] and session.get(UNLOCKED_KEY) != account
    return Attempt(account, client, allowed=not (over_pair or over_client),
                   first_refusal=pair == limit + 1 if over_pair else (over_client and pair == 1))


def succeeded(attempt: Attempt) -> None:
    """A right password: the pair starts afresh, and the client's bound counts only failures."""
    db.session.execute(db.delete(LoginThrottle).where(
        LoginThrottle.account_digest == attempt.account, LoginThrottle.client == attempt.client))
    db.session.execute(db.update(LoginThrottle).where(
        LoginThrottle.account_digest == ANY_ACCOUNT, LoginThrottle.client == attempt.client,
        LoginThrottle.attempts > 0).values(attempts=LoginThrottle.attempts - 1))


def unlock(account: str) -> None:
    """The person followed the mailed link: their account's counters start afresh on every
    client, and this browser passes the per-client bound for that account."""
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.account_digest == account))
    session[UNLOCKED_KEY] = account


def forget_failures(email: str) -> None:
    db.session.execute(db.delete(LoginThrottle).where(LoginThrottle.account_digest == account_digest(email)))
