"""A consent round held live on the agenda item under way, through the core's service
(convergence/consent/rounds.py): the console opens and closes it, the assembly's
participants answer from their phone, the room display shows where it stands, the
minutes list its outcome. Nothing here commits."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.consent import rounds
from convergence.extensions import db
from convergence.models.consent import ROUND_LIVE
from convergence.permissions import can
from convergence.refusal import Refused

from .models import ItemRound
from .speakers import announce

ROUND_CHANGED = "speaking.consent"


def open_round_of(item_id: int) -> ItemRound | None:
    return db.session.scalar(db.select(ItemRound).where(ItemRound.item_id == item_id,
                                                        ItemRound.closed_at.is_(None)))


def last_round_of(item_id: int) -> ItemRound | None:
    return db.session.scalar(db.select(ItemRound).where(ItemRound.item_id == item_id)
                             .order_by(ItemRound.id.desc()).limit(1))


def open_on(assembly, item, user) -> ItemRound:
    """Open a live round on ``item``; one open at a time per item (:class:`Refused`, 409)."""
    if open_round_of(item.id) is not None:
        raise Refused(_("A consent round is already open on this item."), 409)
    round_ = rounds.start(ItemRound(item_id=item.id, assembly_id=assembly.id), user, ROUND_LIVE, None)
    announce(assembly, ROUND_CHANGED, {"item_id": item.id})
    return round_


def asked(assembly):
    """Who the round asks: the assembly's participants, each for themselves."""
    return lambda person: can("facilitation.ask", assembly, user=person)


def answer(assembly, round_: ItemRound, user, value: str, reason: str):
    row = rounds.answer(round_, user, value, reason, asked=asked(assembly))
    announce(assembly, ROUND_CHANGED, {"item_id": round_.item_id})
    return row


def close(assembly, round_: ItemRound) -> str:
    outcome = rounds.close(round_)
    announce(assembly, ROUND_CHANGED, {"item_id": round_.item_id})
    return outcome


def display(item) -> dict:
    """What the console and the room display show of the item's last round (one query)."""
    round_ = last_round_of(item.id) if item is not None else None
    return {"round": round_, "counts": rounds.counts(round_) if round_ else None,
            "outcome_labels": rounds.OUTCOME_LABELS}


def rounds_by_item(assembly) -> dict[int, list[ItemRound]]:
    """Every round held in the assembly, by item, oldest first (one query; the minutes
    need the outcome, written on the round, not its answers)."""
    found: dict[int, list[ItemRound]] = {}
    for round_ in db.session.scalars(db.select(ItemRound).where(ItemRound.assembly_id == assembly.id)
                                     .order_by(ItemRound.id)):
        found.setdefault(round_.item_id, []).append(round_)
    return found


def _nothing_to_apply(round_, outcome) -> None:
    """A live round has no deadline, so the clock never closes it; its outcome is the
    minutes' to record, nothing else changes."""


def _announce_closed(round_) -> None:
    """Only the console closes a live round, and :func:`close` announces it."""


rounds.on_close(ItemRound.__mapper__.polymorphic_identity, _nothing_to_apply, _announce_closed)
