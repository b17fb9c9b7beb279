"""Texts written together: a document, its immutable versions and its amendments.

A plug-in's item (a proposal, a joint declaration) points at its document with one foreign
key; the versions and amendments hang off the document. The current text lives on the
document row and ``version`` is the number of the latest version, so that a save is one
conditional UPDATE (two people saving the same version are told, see drafting/versions.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .users import User

TITLE_MAX, BODY_MAX, NOTE_MAX = 200, 50_000, 300

AMENDMENT_PENDING, AMENDMENT_ACCEPTED, AMENDMENT_REJECTED, AMENDMENT_WITHDRAWN = (
    "pending", "accepted", "rejected", "withdrawn")


class Document(db.Model):
    __tablename__ = "drafting_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Version(db.Model):
    """One saved state of the text, never edited."""

    __tablename__ = "drafting_versions"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("drafting_documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    # The amendment this version took in, if any (kept as a number: an amendment may be
    # deleted with its author's account while the version stays).
    amendment_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class Amendment(db.Model):
    """A change proposed to one paragraph (``paragraph`` ≥ 0) or to the whole text (None)."""

    __tablename__ = "drafting_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("drafting_documents.id", ondelete="CASCADE"),
                                             index=True)
    paragraph: Mapped[int | None] = mapped_column(Integer, nullable=True)
    base_version: Mapped[int] = mapped_column(Integer)
    # What the amended part said when the amendment was written: accepting it later checks
    # that the part still says so, rather than overwrite a text it has not seen.
    original_text: Mapped[str] = mapped_column(Text)
    new_text: Mapped[str] = mapped_column(Text)
    explanation: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default=AMENDMENT_PENDING)
    reason: Mapped[str] = mapped_column(Text, default="")
    # A rejected amendment its author maintains: the assembly (or plenary) decides on it.
    to_assembly: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    document: Mapped[Document] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
