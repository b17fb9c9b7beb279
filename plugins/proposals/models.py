"""Tables of the proposal-drafting plug-in, all prefixed ``proposals_``.

A proposal belongs to an assembly (and may be carried by one of the commune's circles).
Its text is a core drafting document (``document_id``): the current title and body, the
immutable versions and the amendments live there (convergence/drafting/); ``title``,
``body`` and ``version`` read it. Its consent rounds are core rounds whose subject is the
proposal (:class:`ProposalRound`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from convergence.extensions import db
from convergence.models import Assembly, Circle, User
from convergence.models.base import utcnow
from convergence.models.consent import (ANSWERS, CONSENT, OBJECTION, REASON_MAX, ROUND_ASYNC,  # noqa: F401
                                        ROUND_LIVE, STAND_ASIDE, ConsentRound)
from convergence.models.drafting import (AMENDMENT_ACCEPTED, AMENDMENT_PENDING, AMENDMENT_REJECTED,  # noqa: F401
                                         AMENDMENT_WITHDRAWN, BODY_MAX, TITLE_MAX, Document)
from convergence.participation.subjects import HasSubject

COMMENT_MAX = 5_000

# brouillon → en discussion → soumise → adoptée / rejetée ; retirée from any open state.
DRAFT, DISCUSSION, SUBMITTED, ADOPTED, REJECTED, WITHDRAWN = (
    "draft", "discussion", "submitted", "adopted", "rejected", "withdrawn")
STATUSES = (DRAFT, DISCUSSION, SUBMITTED, ADOPTED, REJECTED, WITHDRAWN)
FINAL_STATUSES = (ADOPTED, REJECTED, WITHDRAWN)
TO_ASSEMBLY, TO_CIRCLE = "assembly", "circle"

# Co-authorship: invited by an author, or asked for by a member; active once accepted.
AUTHOR_ACTIVE, AUTHOR_INVITED, AUTHOR_REQUESTED = "active", "invited", "requested"


def _from_document(name: str) -> hybrid_property:
    """An attribute of the proposal that reads its document's (in Python and in SQL)."""
    column = getattr(Document, name)

    def expression(cls):
        return db.select(column).where(Document.id == cls.document_id).scalar_subquery()

    return hybrid_property(lambda proposal: getattr(proposal.document, name), expr=expression)


class Proposal(HasSubject, db.Model):
    """A proposal; its signatures, comments and status history are the core's, on its
    subject (``subject_id``, ``supports_count``, ``comments_count``: see convergence/participation);
    its text is the core's drafting document (``document_id``)."""

    __tablename__ = "proposals_proposals"
    subject_plugin = "proposals"
    __table_args__ = (
        # The list filters by assembly then status and pages newest first.
        Index("ix_proposals_proposals_assembly_status", "assembly_id", "status", "id"),
        Index("ix_proposals_proposals_assembly_id_desc", "assembly_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assembly_id: Mapped[int] = mapped_column(ForeignKey("assemblies.id", ondelete="CASCADE"))
    circle_id: Mapped[int | None] = mapped_column(ForeignKey("circles.id", ondelete="SET NULL"), nullable=True,
                                                  index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("drafting_documents.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=DRAFT)
    submitted_to: Mapped[str | None] = mapped_column(String(20), nullable=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"),
                                                       nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    assembly: Mapped[Assembly] = relationship()
    circle: Mapped[Circle | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    # Loaded with the proposal (one row each): a list of titles costs no query more.
    document: Mapped[Document] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    # The current text is the document's; in a query these read it by the document's key.
    title = _from_document("title")
    body = _from_document("body")
    version = _from_document("version")


class Author(db.Model):
    __tablename__ = "proposals_authors"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals_proposals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=AUTHOR_ACTIVE)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class ProposalRound(ConsentRound):
    """A consent round on one version of a proposal (the core round, numbered per proposal)."""

    __tablename__ = "proposals_rounds"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(ForeignKey("consent_rounds.id", ondelete="CASCADE"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals_proposals.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"polymorphic_identity": "proposals"}
