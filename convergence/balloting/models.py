"""The ballot box's tables, shared by every voting plug-in (majority judgment today, budget
and declaration votes next). A plug-in's vote points at its box (``box_id``); the box keeps
who took part and what was voted, never the two together.

Secrecy is a property of this schema, checked by the tests of ``tests/plugins/mj/test_secrecy.py``:

* ``ballot_participations`` says WHO took part (a person or a single-use code), one row per
  person or code and box, by the database's unique constraints;
* ``ballot_sealed`` holds WHAT they voted while voting is open, sealed (encrypted under a key
  the database does not hold, see ``convergence.ballot_box``) and written in the same
  transaction as the participation, so the marks that transaction leaves (PostgreSQL's
  ``xmin``, row order) tie the participation only to an unreadable row;
* ``ballots`` says WHAT was voted once the box is closed: the close opens every sealed ballot
  and writes them all here, in random order, in one transaction, then deletes the sealed
  rows. No voter, no sequential id, no timestamp.

What a ballot holds (``content``) is its counting method's text (``methods.py``); tallies
kept as counters and the shape of paper counts are the method's plug-in's own tables.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from convergence.ballot_box import new_salt
from convergence.extensions import db
from convergence.models.base import utcnow


def _new_context() -> str:
    return f"box:{secrets.token_hex(8)}"


class BallotBox(db.Model):
    """One ballot box: the ballots of one vote, counted by one method."""

    __tablename__ = "ballot_boxes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(40))  # a CountingMethod.name
    # The box's own salt (convergence.ballot_box); erased at the close.
    seal_salt: Mapped[str | None] = mapped_column(String(32), nullable=True, default=new_salt)
    # The name mixed into the box's keys with the salt. Boxes moved out of mj keep the name
    # their open ballots were sealed under ("mj:<vote id>"), so those still open at the close.
    seal_context: Mapped[str] = mapped_column(String(60), default=_new_context)


class VotingCode(db.Model):
    """A single-use voting code for people without an account (printed with a QR code)."""

    __tablename__ = "ballot_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("ballot_boxes.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)


class Participation(db.Model):
    """Who has voted: one row per person (or code) and box, enforced by the database.

    Deliberately without timestamp: its order must not be matched to the ballots'.
    """

    __tablename__ = "ballot_participations"
    __table_args__ = (
        UniqueConstraint("box_id", "user_id"),
        UniqueConstraint("code_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("ballot_boxes.id", ondelete="CASCADE"))
    # SET NULL: erasing an account keeps the count of participants right.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("ballot_codes.id", ondelete="CASCADE"), nullable=True
    )

    @staticmethod
    def one_voter(user_id: int | None, code_id: int | None) -> None:
        """A ballot comes from exactly one person or one code (checked on casting without
        building the SQL condition of :meth:`whose`)."""
        if (user_id is None) == (code_id is None):
            raise ValueError("a ballot comes from exactly one person or one code")

    @classmethod
    def whose(cls, user_id: int | None, code_id: int | None):
        """The condition for the participation of this person or this code."""
        cls.one_voter(user_id, code_id)
        return cls.user_id == user_id if user_id is not None else cls.code_id == code_id


class SealedBallot(db.Model):
    """A ballot of an open box, sealed: found by a keyed hash of its receipt, readable only
    with the server's key. No voter, no sequential id, no timestamp."""

    __tablename__ = "ballot_sealed"

    box_id: Mapped[int] = mapped_column(ForeignKey("ballot_boxes.id", ondelete="CASCADE"), primary_key=True)
    lookup: Mapped[bytes] = mapped_column(LargeBinary(16), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary(200))


class Ballot(db.Model):
    """An anonymous ballot written out at the close: a random receipt and the method's text."""

    __tablename__ = "ballots"

    box_id: Mapped[int] = mapped_column(ForeignKey("ballot_boxes.id", ondelete="CASCADE"), primary_key=True)
    receipt: Mapped[str] = mapped_column(String(20), primary_key=True)
    content: Mapped[str] = mapped_column(Text)


class PaperBatch(db.Model):
    """Paper ballots counted in the room and entered by a facilitator (an official act). Its
    counts, in the method's own shape, are the method's plug-in's rows (keyed by ``id``)."""

    __tablename__ = "ballot_paper_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("ballot_boxes.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    ballots: Mapped[int] = mapped_column(Integer)
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    entered_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
