"""Tables of the joint declaration (déclaration commune) of a meeting, prefixed ``cdc_``.

The text is the core's drafting :class:`~convergence.models.Document` (its versions are the
history); the declaration cuts it into **articles** with stable numbers — an article keeps
its number when others are added before it, as in the conventions' texts, and an added
article takes the next free number. Each article's wording is the article row; the
document's body is the whole text rendered from them, saved as a new version at each change
(``declaration.text.save``), so that the core's history and diffs work unchanged.

An **amendment** is the core's :class:`~convergence.models.drafting.Amendment` (its wording,
explanation, state) plus what only a meeting has (:class:`DeclarationAmendment`): the
delegation that tabled it, the article it changes or follows, the drafting committee's
proposed procedure and the delegation's answer, the group of mutually exclusive wordings,
and its outcome.

Delegations vote **openly**, in the plenary: each delegation's voice is public (the
breakdown per delegation is published, as conventions do), unlike a resident's ballot.
So a :class:`Voice` names its delegation; the secret ballot of the mj plug-in is used only
for the choice between mutually exclusive wordings, one code per delegation.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from convergence.extensions import db
from convergence.models import Commune, User
from convergence.models.base import utcnow
from convergence.models.drafting import Amendment, Document
from convergence.participation.subjects import HasSubject

from .models import NAME_MAX, Delegation, Meeting

# The declaration's life: written by the committee, open to amendments, amendments voted,
# adopted (frozen, then signed).
DRAFT, AMENDING, VOTING, ADOPTED = "draft", "amending", "voting", "adopted"
DECLARATION_STATES = (DRAFT, AMENDING, VOTING, ADOPTED)
ADOPTION_MODES = ("consent", "vote")

KIND_MODIFY, KIND_ADD = "modify", "add"
AMENDMENT_KINDS = (KIND_MODIFY, KIND_ADD)
# The committee's proposed procedure (OpenSlides / Antragsgrün « Verfahrensvorschlag »).
PROCEDURE_ACCEPT, PROCEDURE_MODIFIED, PROCEDURE_MERGE, PROCEDURE_REJECT = (
    "accept", "accept_modified", "merge", "reject")
PROCEDURES = (PROCEDURE_ACCEPT, PROCEDURE_MODIFIED, PROCEDURE_MERGE, PROCEDURE_REJECT)
ANSWER_AGREED, ANSWER_MAINTAINED = "agreed", "maintained"
ANSWERS = (ANSWER_AGREED, ANSWER_MAINTAINED)
OUTCOME_ADOPTED, OUTCOME_REJECTED, OUTCOME_MERGED, OUTCOME_WITHDRAWN = "adopted", "rejected", "merged", "withdrawn"
OUTCOMES = (OUTCOME_ADOPTED, OUTCOME_REJECTED, OUTCOME_MERGED, OUTCOME_WITHDRAWN)

VOTE_ON_AMENDMENT, VOTE_ON_ADOPTION = "amendment", "adoption"
CHOICE_FOR, CHOICE_AGAINST, CHOICE_ABSTAIN = "for", "against", "abstain"
CHOICES = (CHOICE_FOR, CHOICE_AGAINST, CHOICE_ABSTAIN)
CONTRIBUTION_KINDS = ("contribution", "amendment")


class Declaration(db.Model):
    __tablename__ = "cdc_declarations"
    __table_args__ = (CheckConstraint("state IN ('draft', 'amending', 'voting', 'adopted')", name="state_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One declaration per meeting: the meeting « may end by voting a déclaration commune ».
    meeting_id: Mapped[int] = mapped_column(ForeignKey("cdc_meetings.id", ondelete="CASCADE"), unique=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("drafting_documents.id", ondelete="RESTRICT"), unique=True)
    state: Mapped[str] = mapped_column(String(12), default=DRAFT)
    # Amendments are tabled until then (None: until the committee closes them by hand).
    amendments_deadline: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The next number an added article takes (stable numbers are never reused).
    next_article_number: Mapped[int] = mapped_column(Integer, default=1)
    next_amendment_number: Mapped[int] = mapped_column(Integer, default=1)
    adoption_mode: Mapped[str | None] = mapped_column(String(12), nullable=True)
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The frozen text: the document's version adopted, and the SHA-256 of its Markdown,
    # also written in the host commune's journal.
    adopted_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    adopted_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship()
    document: Mapped[Document] = relationship()
    articles: Mapped[list[Article]] = relationship(back_populates="declaration", order_by="Article.position",
                                                   cascade="all, delete-orphan")


class Article(db.Model):
    """One numbered article; ``section`` is the heading it sits under (from the Markdown)."""

    __tablename__ = "cdc_articles"
    # ``position`` is not unique: inserting an article shifts the ones after it, which a
    # non-deferrable unique key would refuse halfway through the UPDATE on PostgreSQL.
    __table_args__ = (UniqueConstraint("declaration_id", "number"),
                      Index("ix_cdc_articles_declaration_position", "declaration_id", "position"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("cdc_declarations.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    text: Mapped[str] = mapped_column(Text)

    declaration: Mapped[Declaration] = relationship(back_populates="articles")


class DeclarationAmendment(db.Model):
    """What a meeting adds to a core amendment."""

    __tablename__ = "cdc_amendments"
    __table_args__ = (
        UniqueConstraint("declaration_id", "number"),
        CheckConstraint("kind IN ('modify', 'add')", name="kind_known"),
        CheckConstraint("procedure IS NULL OR procedure IN ('accept', 'accept_modified', 'merge', 'reject')",
                        name="procedure_known"),
        CheckConstraint("answer IS NULL OR answer IN ('agreed', 'maintained')", name="answer_known"),
        CheckConstraint("outcome IS NULL OR outcome IN ('adopted', 'rejected', 'merged', 'withdrawn')",
                        name="outcome_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("cdc_declarations.id", ondelete="CASCADE"), index=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("drafting_amendments.id", ondelete="CASCADE"), unique=True)
    # « A12 »: numbered in the order tabled, per declaration.
    number: Mapped[int] = mapped_column(Integer)
    # The delegation that tabled it (None for the committee's own, or once the delegation goes).
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="SET NULL"),
                                                      nullable=True, index=True)
    kind: Mapped[str] = mapped_column(String(8))
    # modify: the article changed; add: the article the new one follows (None: at the start).
    article_id: Mapped[int | None] = mapped_column(ForeignKey("cdc_articles.id", ondelete="SET NULL"),
                                                   nullable=True, index=True)
    # For an added article: the section it goes in.
    section: Mapped[str] = mapped_column(String(NAME_MAX), default="")
    procedure: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # accept_modified: the committee's wording; reject: its reason.
    procedure_text: Mapped[str] = mapped_column(Text, default="")
    procedure_reason: Mapped[str] = mapped_column(Text, default="")
    merge_into_id: Mapped[int | None] = mapped_column(ForeignKey("cdc_amendments.id", ondelete="SET NULL"),
                                                      nullable=True)
    procedure_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    answer: Mapped[str | None] = mapped_column(String(10), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Amendments of one group are mutually exclusive wordings: one majority-judgment vote
    # between them (its id in the mj plug-in, reached through plugins/mj/api.py).
    exclusive_group: Mapped[int | None] = mapped_column(Integer, nullable=True)
    mj_vote_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    supports_count: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(10), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    declaration: Mapped[Declaration] = relationship()
    amendment: Mapped[Amendment] = relationship(lazy="joined", innerjoin=True)
    delegation: Mapped[Delegation | None] = relationship()
    article: Mapped[Article | None] = relationship()


class AmendmentSupport(db.Model):
    """A delegation supports an amendment (one support per delegation)."""

    __tablename__ = "cdc_amendment_supports"

    amendment_id: Mapped[int] = mapped_column(ForeignKey("cdc_amendments.id", ondelete="CASCADE"), primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FloorVote(db.Model):
    """A vote of the plenary by delegation: on one amendment, or on the whole text."""

    __tablename__ = "cdc_floor_votes"
    __table_args__ = (UniqueConstraint("declaration_id", "amendment_id"),
                      CheckConstraint("subject IN ('amendment', 'adoption')", name="subject_known"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("cdc_declarations.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(10))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("cdc_amendments.id", ondelete="CASCADE"),
                                                     nullable=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Written at the close: the weighted sums, and the outcome (for wins over against).
    weight_for: Mapped[int] = mapped_column(Integer, default=0)
    weight_against: Mapped[int] = mapped_column(Integer, default=0)
    weight_abstain: Mapped[int] = mapped_column(Integer, default=0)
    carried: Mapped[bool | None] = mapped_column(nullable=True)


class Voice(db.Model):
    """One delegation's public voice in a floor vote; the key makes it one voice per delegation."""

    __tablename__ = "cdc_voices"
    __table_args__ = (CheckConstraint("choice IN ('for', 'against', 'abstain')", name="choice_known"),
                      CheckConstraint("weight >= 1", name="weight_positive"))

    floor_vote_id: Mapped[int] = mapped_column(ForeignKey("cdc_floor_votes.id", ondelete="CASCADE"),
                                               primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"),
                                               primary_key=True, index=True)
    choice: Mapped[str] = mapped_column(String(8))
    # The delegation's weight when it voted (its mandate's, 1 by default).
    weight: Mapped[int] = mapped_column(Integer, default=1)
    # Who cast it: the delegate on their phone, or an organiser recording a raised card.
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    by_organiser: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    delegation: Mapped[Delegation] = relationship()


class Signature(db.Model):
    """A collective signs the adopted text through its mandated delegate."""

    __tablename__ = "cdc_signatures"
    __table_args__ = (UniqueConstraint("declaration_id", "delegation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("cdc_declarations.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("cdc_delegations.id", ondelete="CASCADE"))
    # The name signed under, kept as it was (the delegation's collective may be renamed).
    collective_name: Mapped[str] = mapped_column(String(NAME_MAX))
    # The collective's own decision to sign (« AG du 12 janvier 2026 »).
    decision_reference: Mapped[str] = mapped_column(String(NAME_MAX))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    delegation: Mapped[Delegation] = relationship()
    signed_by: Mapped[User | None] = relationship()


class Contribution(HasSubject, db.Model):
    """A proposal adopted in a commune's assembly, sent to a meeting's declaration (item 6).

    The proposal lives in the proposals plug-in: kept as its id, reached through its api.py;
    the link shows on both sides through the core's participation links (the contribution
    has a subject of its own, linked to the proposal's, that the ``subject-label`` hook
    names « envoyée à … » on the proposal's page)."""

    __tablename__ = "cdc_contributions"
    subject_plugin = "cdc"
    __table_args__ = (UniqueConstraint("declaration_id", "proposal_id"),
                      CheckConstraint("kind IN ('contribution', 'amendment')", name="kind_known"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("cdc_declarations.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(Integer)
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("communes.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(12))
    # When sent as an amendment: the amendment it became.
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("cdc_amendments.id", ondelete="SET NULL"),
                                                     nullable=True)
    title: Mapped[str] = mapped_column(String(NAME_MAX))
    summary: Mapped[str] = mapped_column(Text, default="")
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    commune: Mapped[Commune | None] = relationship()
    amendment: Mapped[DeclarationAmendment | None] = relationship()

