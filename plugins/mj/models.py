"""Tables of the majority-judgment plug-in (all prefixed ``mj_``).

Each vote has its ballot box (``box_id``), the balloting service's
(``convergence.balloting.models``, whose docstring says how its schema keeps ballots
secret): participations, voting codes, sealed ballots, ballots written out at the close
(``content``: one grade digit per option) and paper batches. Imported here under the names
mj's modules use.

``mj_counts`` keeps the tally as counters per (option, grade), so that a result never needs
to read every ballot: paper counts (shard ``PAPER_SHARD``) are added with their batch, online
ones are written by the close, from the ballots (shard 0; ballots cast before sealing
existed were spread over ``SHARDS`` shards). Live results of an open vote add the sealed
ballots, opened in memory.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from convergence.balloting.models import (  # noqa: F401  (mj's modules import them from here)
    Ballot,
    BallotBox,
    PaperBatch,
    Participation,
    SealedBallot,
)
from convergence.balloting.models import VotingCode as Code  # noqa: F401
from convergence.extensions import db
from convergence.models import Assembly, Circle
from convergence.models.base import utcnow

SHARDS = 128
PAPER_SHARD = -1  # counters of paper ballots, kept beside the online ones: one query tallies both
MAX_OPTIONS = 60
# "members": members of the vote's assembly or circle; "commune": anyone with a role in the
# circle's commune (circle votes only); "codes": holders of single-use codes.
VOTER_KINDS = ("members", "commune", "codes")


class Vote(db.Model):
    """A vote of an assembly or of a thematic circle: exactly one of the two (checked by the
    database)."""

    __tablename__ = "mj_votes"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN assembly_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN circle_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_space",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assembly_id: Mapped[int | None] = mapped_column(
        ForeignKey("assemblies.id", ondelete="CASCADE"), nullable=True, index=True
    )
    circle_id: Mapped[int | None] = mapped_column(
        ForeignKey("circles.id", ondelete="CASCADE"), nullable=True, index=True
    )
    question: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    # A built-in scale code (labels translated at display) or "custom" with custom_grades.
    scale: Mapped[str] = mapped_column(String(20), default="mj7")
    custom_grades: Mapped[list | None] = mapped_column(JSON, nullable=True)  # worst first
    n_grades: Mapped[int] = mapped_column(Integer, default=7)
    voters: Mapped[str] = mapped_column(String(10), default="members")
    live_results: Mapped[bool] = mapped_column(Boolean, default=False)
    # The status is computed from these two (see plugins.mj.status): no cron needed.
    opens_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Last status published on the live channel, so a scheduled change is announced once.
    announced: Mapped[str] = mapped_column(String(10), default="draft")
    # Head of the published hash chain of ballots, fixed at the close.
    chain_head: Mapped[str | None] = mapped_column(String(64), nullable=True)
    chain_length: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Its ballot box (convergence.balloting.models): participations, codes, sealed ballots,
    # ballots written out, paper batches. Loaded with the vote: casting needs its salt.
    box_id: Mapped[int] = mapped_column(ForeignKey("ballot_boxes.id", ondelete="CASCADE"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The plug-in that asked for the vote and its own reference (e.g. "proposals",
    # "assembly:3"): told the result by the ``vote-closed`` signal. None: created by hand.
    asked_by: Mapped[str | None] = mapped_column(String(60), nullable=True)
    asked_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)

    box: Mapped[BallotBox] = relationship(lazy="joined", innerjoin=True)
    assembly: Mapped[Assembly | None] = relationship()
    circle: Mapped[Circle | None] = relationship()
    options: Mapped[list[Option]] = relationship(
        back_populates="vote", order_by="Option.position", cascade="all, delete-orphan"
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("box", BallotBox(method="mj"))
        super().__init__(**kwargs)

    @property
    def seal_salt(self) -> str | None:
        """The ballot box's salt: None once the box is closed."""
        return self.box.seal_salt

    @property
    def space(self) -> Assembly | Circle:
        """The assembly or the circle the vote belongs to."""
        return self.circle if self.circle_id is not None else self.assembly

    @property
    def space_title(self) -> str:
        return self.circle.name if self.circle_id is not None else self.assembly.title

    @property
    def commune_id(self) -> int:
        return self.space.commune_id


class Option(db.Model):
    __tablename__ = "mj_options"
    __table_args__ = (
        UniqueConstraint("vote_id", "position"),
        # Other plug-ins find the votes about their items (proposals, amendments).
        Index("ix_mj_options_source", "source_plugin", "source_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("mj_votes.id", ondelete="CASCADE"), index=True)
    # A ballot stores its grades in this order, so positions never change once voting starts.
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(300))
    source_plugin: Mapped[str | None] = mapped_column(String(60), nullable=True)
    source_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    vote: Mapped[Vote] = relationship(back_populates="options")


class Count(db.Model):
    """Judgments per (option, grade): online ones split into shards 0..SHARDS-1 to spread
    row locks, paper ones (the sum of the paper batches) in shard PAPER_SHARD."""

    __tablename__ = "mj_counts"

    vote_id: Mapped[int] = mapped_column(ForeignKey("mj_votes.id", ondelete="CASCADE"), primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("mj_options.id", ondelete="CASCADE"), primary_key=True)
    grade: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PaperCount(db.Model):
    __tablename__ = "mj_paper_counts"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("ballot_paper_batches.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(ForeignKey("mj_options.id", ondelete="CASCADE"), primary_key=True)
    grade: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)

    # The batch is the balloting service's row; its counts per (option, grade) are mj's.
    batch: Mapped[PaperBatch] = relationship(
        backref=backref("counts", cascade="all, delete-orphan", passive_deletes=True))
