"""Tables of the votes between wordings (« vote entre rédactions »), prefixed ``cdc_``.

A group of mutually exclusive amendments of one article (procedure.py) is put to a
majority-judgment vote of the mj plug-in, reached only through ``plugins/mj/api.py``: the
vote itself (options, ballots, register) is mj's; what the meeting adds is here — which
group it decides, what became of it, and the voting code handed to each delegation
(one voice per delegation: the vote is « by codes », one code per registered delegation,
given to its mandated delegate only).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from convergence.extensions import db
from convergence.models.base import utcnow

from .declaration_models import Article, DeclarationAmendment

# What the close decided: an amendment's wording, the current text, a tie at the top (or
# no ballot) left to the committee, or a winner that could no longer be applied.
RESULT_AMENDMENT, RESULT_CURRENT, RESULT_TIE, RESULT_UNAPPLIED = "amendment", "current", "tie", "unapplied"
RESULTS = (RESULT_AMENDMENT, RESULT_CURRENT, RESULT_TIE, RESULT_UNAPPLIED)


class WordingVote(db.Model):
    __tablename__ = "cdc_wording_votes"
    __table_args__ = (CheckConstraint("result IS NULL OR result IN ('amendment', 'current', 'tie', 'unapplied')",
                                      name="result_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("cdc_declarations.id", ondelete="CASCADE"), index=True)
    # The exclusive group of the declaration it decides (DeclarationAmendment.exclusive_group).
    exclusive_group: Mapped[int] = mapped_column(Integer)
    # The mj vote (its id only: the mj plug-in's table is reached through its api.py).
    mj_vote_id: Mapped[int] = mapped_column(Integer, unique=True)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("cdc_articles.id", ondelete="SET NULL"), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Written when the mj vote's close is brought back (wording_vote.settle).
    settled_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    result: Mapped[str | None] = mapped_column(String(10), nullable=True)
    winner_id: Mapped[int | None] = mapped_column(ForeignKey("cdc_amendments.id", ondelete="SET NULL"),
                                                  nullable=True)
    # Why a winner could not be applied (the refusal's message), for the committee.
    note: Mapped[str] = mapped_column(Text, default="")

    article: Mapped[Article | None] = relationship()
    winner: Mapped[DeclarationAmendment | None] = relationship(foreign_keys=[winner_id])


class WordingCode(db.Model):
    """The voting code of one delegation in one vote between wordings; the key makes it one
    code per delegation. Made when its mandated delegate first asks to vote."""

    __tablename__ = "cdc_wording_codes"

    wording_vote_id: Mapped[int] = mapped_column(ForeignKey("cdc_wording_votes.id", ondelete="CASCADE"),
                                                 primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    code: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
