"""The mechanics of a consent round: consent, objection with its reason, or stand-aside.

While a round is open each person asked gives one answer (one row per person and round,
enforced by the database) and may change it. Objections are listed for treatment; a round
that closes with answers and no unresolved objection is adopted. The outcome is set once:
closing locks the round's row, so of two closes (a person's, a deadline's) one sets it and
the other is told. An asynchronous round closes at its deadline through the core's timed
states (convergence/phases.py, kind ``consent.round``): the worker closes it at that time
(or its minute sweep does), never a page; a page reads its state from the clock
(:func:`is_open`, :func:`clock_outcome`). The owner of each kind of round says, once, what
closing applies and announces (:func:`on_close`).

Who is asked is the caller's: it passes ``asked``, a predicate on the person (its
``membership_only`` permission rule, so that a site administrator never answers in
someone's place), and applies the outcome (adopt a proposal, admit a member) in the same
transaction as the close that returned it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import phases
from ..extensions import db
from ..models.base import utcnow
from ..models.consent import (ANSWERS, CONSENT, OBJECTION, REASON_MAX, ROUND_ASYNC, ROUND_LIVE, STAND_ASIDE,
                              ConsentAnswer, ConsentRound)
from ..refusal import Refused, clean_reason

ANSWER_LABELS = {CONSENT: _l("Consent"), OBJECTION: _l("Objection"), STAND_ASIDE: _l("I stand aside")}
OUTCOME_ADOPTED, OUTCOME_OBJECTIONS, OUTCOME_NO_ANSWER = "adopted", "objections", "no_answer"
OUTCOME_LABELS = {
    OUTCOME_ADOPTED: _l("Adopted: no objection remained"),
    OUTCOME_OBJECTIONS: _l("Not adopted: objections remain to be treated"),
    OUTCOME_NO_ANSWER: _l("Closed without any answer"),
}


def schedule(mode: str, deadline: datetime | None) -> datetime | None:
    """The deadline a round of ``mode`` keeps (None for a live round), or :class:`Refused`."""
    if mode not in (ROUND_LIVE, ROUND_ASYNC):
        raise Refused(_("Choose a live round or a round open until a deadline."))
    if mode == ROUND_LIVE:
        return None
    if deadline is None:
        raise Refused(_("A round open until a deadline needs its deadline."))
    if deadline <= utcnow():
        raise Refused(_("The deadline is already past."))
    return deadline


PHASE_KIND = "consent.round"
# The closing work of each kind of round (its polymorphic identity): apply(round, outcome)
# in the closing transaction, announce(round) after the commit. Filled at import time by
# the module that owns the kind (proposals, circle requests).
_CLOSERS: dict[str, tuple[Callable, Callable]] = {}


def on_close(identity: str, apply: Callable[[ConsentRound, str], None],
             announce: Callable[[ConsentRound], None]) -> None:
    _CLOSERS[identity] = (apply, announce)


def start(round_: ConsentRound, user, mode: str, deadline: datetime | None) -> ConsentRound:
    """Open ``round_`` (a new row of the caller's subclass, its subject filled in)."""
    round_.mode, round_.deadline = mode, schedule(mode, deadline)
    round_.opened_by_id, round_.opened_at = getattr(user, "id", None), utcnow()
    db.session.add(round_)
    db.session.flush()
    phases.schedule(PHASE_KIND, round_.id, round_.deadline)  # the worker closes it at its deadline
    from ..notifications.mails import round_opened

    round_opened(round_)  # those who asked are mailed, after the commit
    return round_


def is_open(round_: ConsentRound, now=None) -> bool:
    return round_.closed_at is None and (round_.deadline is None or round_.deadline > (now or utcnow()))


def clock_outcome(round_: ConsentRound, now=None) -> str | None:
    """The outcome a page shows: the recorded one, or, past the deadline before the worker
    has closed the round, the one the answers give (computed, nothing written)."""
    if round_.outcome is not None or is_open(round_, now):
        return round_.outcome
    return outcome_of(round_.answers)


def _locked(round_id: int) -> ConsentRound:
    # The base row, whatever the subject (SQLite serialises writers anyway).
    return db.session.execute(db.select(ConsentRound).where(ConsentRound.id == round_id)
                              .with_for_update()).scalar_one()


def _still_open(round_id: int) -> ConsentRound:
    round_ = _locked(round_id)  # serialised with the close: no answer slips in after it
    if not is_open(round_):
        db.session.rollback()
        raise Refused(_("This consent round is closed: answers are no longer taken."), 409)
    return round_


def answer(round_: ConsentRound, user, value: str, reason, *, asked: Callable[[object], bool],
           objection_reason: str | None = None) -> ConsentAnswer:
    """Record (or change) ``user``'s answer; :class:`Refused` (403) if they are not asked."""
    if not asked(user):
        raise Refused(_("You are not among the people this consent round asks."), 403)
    if value not in ANSWERS:
        raise Refused(_("Answer consent, objection or stand-aside."))
    reason = (reason or "").strip()
    if value == OBJECTION and not reason:
        raise Refused(objection_reason or _("An objection needs its reason: say what you cannot accept, and why."))
    if len(reason) > REASON_MAX:
        raise Refused(_("The reason is longer than %(n)d characters.", n=REASON_MAX))
    round_ = _still_open(round_.id)
    row = db.session.scalar(db.select(ConsentAnswer).where(ConsentAnswer.round_id == round_.id,
                                                           ConsentAnswer.user_id == user.id))
    if row is None:
        row = ConsentAnswer(round_id=round_.id, user_id=user.id)
        db.session.add(row)
    row.answer, row.reason, row.updated_at = value, reason, utcnow()
    row.resolved, row.resolution = False, ""
    return row


def resolve(answer_row: ConsentAnswer, note) -> None:
    """Record how an objection was treated (integrated, withdrawn by its author …)."""
    _still_open(answer_row.round_id)
    if answer_row.answer != OBJECTION or answer_row.resolved:
        raise Refused(_("This is not an objection awaiting treatment."), 409)
    answer_row.resolution = clean_reason(note, required=True, what=_("Say how the objection was treated."))
    answer_row.resolved = True


def outcome_of(answers: Iterable[ConsentAnswer]) -> str:
    """The rule: adopted when answers came and no objection remains untreated."""
    answers = list(answers)
    if not answers:
        return OUTCOME_NO_ANSWER
    if any(a.answer == OBJECTION and not a.resolved for a in answers):
        return OUTCOME_OBJECTIONS
    return OUTCOME_ADOPTED


def _answers(round_id: int) -> list[ConsentAnswer]:
    return list(db.session.scalars(db.select(ConsentAnswer).where(ConsentAnswer.round_id == round_id)))


def _set_outcome(round_: ConsentRound, at: datetime) -> str:
    round_.closed_at, round_.outcome = at, outcome_of(_answers(round_.id))
    return round_.outcome


def close(round_: ConsentRound) -> str:
    """Close the round now; its outcome, which the caller applies in this transaction."""
    round_ = _locked(round_.id)
    if round_.closed_at is not None:
        db.session.rollback()
        raise Refused(_("This consent round is already closed."), 409)
    return _set_outcome(round_, utcnow())


def close_if_due(round_: ConsentRound | None) -> str | None:
    """Close an asynchronous round whose deadline has passed: its outcome if this call
    closed it, else None. The caller applies it, commits, then announces."""
    now = utcnow()
    if round_ is None or round_.closed_at is not None or round_.deadline is None or round_.deadline > now:
        return None
    round_ = _locked(round_.id)
    if round_.closed_at is not None:  # another request closed it first
        return None
    return _set_outcome(round_, round_.deadline)


def close_if_complete(round_: ConsentRound, asked_ids: set[int]) -> str | None:
    """Close the round once every person asked has answered (a round of a known, small
    group, such as a circle's members): its outcome if this call closed it, else None."""
    round_ = _locked(round_.id)
    if round_.closed_at is not None:
        return None
    answered = {a.user_id for a in _answers(round_.id)}
    if not asked_ids or not asked_ids <= answered:
        return None
    return _set_outcome(round_, utcnow())


def counts(round_: ConsentRound) -> dict[str, int]:
    result = {value: 0 for value in ANSWERS}
    for row in round_.answers:
        result[row.answer] += 1
    return result


# -- the timed kind: closing at the deadline, in the worker ---------------------------------

def _load(round_id: int) -> ConsentRound | None:
    return db.session.execute(db.select(ConsentRound).where(ConsentRound.id == round_id)
                              .with_for_update()).scalar()


def _enter(round_: ConsentRound, old: str, new: str) -> None:
    outcome = close_if_due(round_)
    closer = _CLOSERS.get(round_.kind)
    if outcome is not None and closer is not None:
        closer[0](round_, outcome)


def _announce(round_: ConsentRound, old: str, new: str) -> None:
    closer = _CLOSERS.get(round_.kind)
    if closer is not None:
        closer[1](round_)


def _due(now: datetime) -> list[int]:
    return list(db.session.scalars(db.select(ConsentRound.id).where(
        ConsentRound.closed_at.is_(None), ConsentRound.deadline <= now)))


TIMED_ROUND = phases.TimedKind(
    name=PHASE_KIND, load=_load,
    state=lambda r, now: phases.CLOSED if r.closed_at is not None or not is_open(r, now) else phases.OPEN,
    recorded=lambda r: phases.CLOSED if r.closed_at is not None else phases.OPEN,
    enter=_enter, announce=_announce, due=_due,
)


def settle(round_: ConsentRound) -> str | None:
    """Before an action on the round (a POST): close it now if its deadline has passed
    (commits and announces, as the worker would). The new state, or None."""
    if round_ is None or round_.closed_at is not None or is_open(round_):
        return None
    return phases.advance(PHASE_KIND, round_.id)
