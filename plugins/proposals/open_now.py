"""proposals' share of « Ouvert en ce moment » (home page), of « Pour moi » and of the
mails sent when a consent round opens (hooks ``open-now``, ``person-items``,
``opening-audience``): one query each."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, or_

from convergence.extensions import db
from convergence.models import Assembly, Circle, ConsentAnswer
from convergence.models.base import utcnow
from convergence.open_now import OpenItem, member_spaces, switched_on, takes_part_in_assembly

from .models import AUTHOR_ACTIVE, FINAL_STATUSES, TO_CIRCLE, Author, Document, Proposal, ProposalRound

ROUND_KIND = "consent:proposals"  # the polymorphic identity of ProposalRound, as notifications name it


def _asked(user):
    """The person answers the round: a member of the circle it is submitted to, otherwise
    someone taking part in the assembly (the rule ``proposals.answer``)."""
    to_circle = and_(Proposal.submitted_to == TO_CIRCLE, Proposal.circle_id.is_not(None))
    return or_(and_(to_circle, Circle.space_id.in_(member_spaces(user))),
               and_(~to_circle, takes_part_in_assembly(user)))


def open_now(user, limit):
    now = utcnow()
    query = (db.select(Proposal.id, Document.title, ProposalRound.opened_at, ProposalRound.deadline, Assembly.title)
             .join(Proposal, Proposal.id == ProposalRound.proposal_id)
             .join(Document, Document.id == Proposal.document_id)
             .join(Assembly, Assembly.id == Proposal.assembly_id)
             .outerjoin(Circle, Circle.id == Proposal.circle_id)
             .where(ProposalRound.closed_at.is_(None),
                    or_(ProposalRound.deadline.is_(None), ProposalRound.deadline > now),
                    Proposal.status.not_in(FINAL_STATUSES), switched_on(Assembly.space_id, "proposals")))
    if user is not None:
        answered = db.select(ConsentAnswer.round_id).where(ConsentAnswer.user_id == user.id)
        query = query.where(_asked(user), ProposalRound.id.not_in(answered))
    rows = db.session.execute(query.order_by(ProposalRound.opened_at.desc()).limit(limit)).all()
    return [OpenItem(kind=_("Consent round"), title=title, url=url_for("proposals.show", proposal_id=proposal_id),
                     where=assembly_title, closes_at=deadline, opened_at=opened_at)
            for proposal_id, title, opened_at, deadline, assembly_title in rows]


def person_items(user, limit):
    from .drafting import STATUS_LABELS

    rows = db.session.execute(
        db.select(Proposal.id, Document.title, Proposal.status, Proposal.updated_at, Assembly.title)
        .join(Author, and_(Author.proposal_id == Proposal.id, Author.user_id == user.id,
                           Author.state == AUTHOR_ACTIVE))
        .join(Document, Document.id == Proposal.document_id)
        .join(Assembly, Assembly.id == Proposal.assembly_id)
        .where(switched_on(Assembly.space_id, "proposals"))
        .order_by(Proposal.updated_at.desc()).limit(limit)).all()
    return [OpenItem(kind=_("Proposal"), title=title, url=url_for("proposals.show", proposal_id=proposal_id),
                     where=assembly_title, status=str(STATUS_LABELS.get(status, status)), changed_at=updated_at)
            for proposal_id, title, status, updated_at, assembly_title in rows]


def opening_audience(kind, subject_id):
    """The consent round that just opened and who answers it."""
    from convergence.models import Commune, Membership
    from convergence.notifications import Opening
    from convergence.web.links import absolute_url

    if kind != ROUND_KIND:
        return None
    round_ = db.session.get(ProposalRound, subject_id)
    if round_ is None:
        return None
    proposal = db.session.get(Proposal, round_.proposal_id)
    if proposal.submitted_to == TO_CIRCLE and proposal.circle is not None:
        spaces = [proposal.circle.space_id]
    else:
        commune_space = db.select(Commune.space_id).where(Commune.id == proposal.assembly.commune_id)
        spaces = [proposal.assembly.space_id, commune_space.scalar_subquery()]
    people = db.select(Membership.user_id).where(Membership.space_id.in_(spaces))
    return Opening(kind="consent", title=proposal.title, where=proposal.assembly.title,
                   url=absolute_url("proposals.show", proposal_id=proposal.id), closes_at=round_.deadline,
                   people=people)


def space_actions(space, user):
    """« Faire une proposition », one tap from the assembly page."""
    if space.kind != "assembly":
        return []
    return [(_("Make a proposal"), url_for("proposals.new", assembly_id=space.owner.id))]


def connect(plugin) -> None:
    """Called from the plug-in's ``init()``: this module's hooks."""
    plugin.connect_hook("open-now", open_now)
    plugin.connect_hook("person-items", person_items)
    plugin.connect_hook("opening-audience", opening_audience)
    plugin.connect_hook("space-actions", space_actions)
