"""What another plug-in may use of proposals (the only module it may import): an
assembly's proposals in consent and recently submitted (for a page of what is open now),
one proposal with its title, status and page, and the words of its statuses; whether a
proposal is adopted, and several proposals at once (another plug-in's page listing the
proposals sent to it, in one query); an assembly's adopted proposals."""

from __future__ import annotations

from flask import url_for

from convergence.extensions import db

from .drafting import STATUS_LABELS
from .models import ADOPTED, SUBMITTED, Proposal, ProposalRound

__all__ = ["STATUS_LABELS", "adopted", "get_proposal", "get_proposals", "in_consent", "is_adopted",
           "proposal_url", "recently_submitted"]


def get_proposal(proposal_id: int) -> Proposal | None:
    """The proposal, or None; read its ``title``, ``status``, ``assembly_id``, ``subject_id``."""
    return db.session.get(Proposal, proposal_id)


def get_proposals(proposal_ids) -> dict[int, Proposal]:
    """id → proposal for those of ``proposal_ids`` that still exist (one query, their
    assembly and commune loaded: a list names the commune of each)."""
    ids = sorted(set(proposal_ids))
    if not ids:
        return {}
    from convergence.models import Assembly

    rows = db.session.scalars(db.select(Proposal).where(Proposal.id.in_(ids))
                              .options(db.joinedload(Proposal.assembly).joinedload(Assembly.commune)))
    return {p.id: p for p in rows}


def is_adopted(proposal: Proposal) -> bool:
    """Adopted by its assembly (or its circle): the decision is taken, the text final."""
    return proposal.status == ADOPTED


def proposal_url(proposal: Proposal) -> str:
    return url_for("proposals.show", proposal_id=proposal.id)


def in_consent(assembly, limit: int = 10) -> list[Proposal]:
    """The assembly's proposals with a consent round open (one query)."""
    return db.session.scalars(
        db.select(Proposal).join(ProposalRound, ProposalRound.proposal_id == Proposal.id)
        .where(Proposal.assembly_id == assembly.id, ProposalRound.closed_at.is_(None))
        .order_by(Proposal.id).limit(limit)).all()


def recently_submitted(assembly, limit: int = 5) -> list[Proposal]:
    """The assembly's latest submitted proposals, newest first (one query)."""
    return db.session.scalars(
        db.select(Proposal).where(Proposal.assembly_id == assembly.id, Proposal.status == SUBMITTED)
        .order_by(Proposal.updated_at.desc()).limit(limit)).all()


def adopted(assembly, limit: int = 10) -> list[Proposal]:
    """The assembly's adopted proposals, the latest decided first (one query)."""
    return db.session.scalars(
        db.select(Proposal).where(Proposal.assembly_id == assembly.id, Proposal.status == ADOPTED)
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc()).limit(limit)).all()
