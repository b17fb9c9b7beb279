"""Who may do what with proposals. Imported by the plug-in's ``init()``.

Everyone who may take part in the assembly drafts, amends, supports and comments; the
active authors edit their text and decide on amendments; the assembly's facilitators
moderate, open consent rounds, record decisions and send proposals to a vote. A proposal
submitted to its circle is answered, in consent rounds, by the circle's members.
"""

from __future__ import annotations

from convergence.participation.permissions import moderators
from convergence.permissions import can, rule

from .models import AUTHOR_ACTIVE, DISCUSSION, DRAFT, FINAL_STATUSES, SUBMITTED, TO_CIRCLE, Author


def _participates(user, assembly) -> bool:
    return user is not None and can("assembly.participate", assembly, user=user)


def is_author(user, proposal) -> bool:
    if user is None:
        return False
    states = getattr(proposal, "_author_states", None)
    if states is None:  # loaded once per proposal and request
        from convergence.extensions import db

        states = dict(db.session.execute(
            db.select(Author.user_id, Author.state).where(Author.proposal_id == proposal.id)).all())
        proposal._author_states = states
    return states.get(user.id) == AUTHOR_ACTIVE


@rule("proposals.create")
def _create(user, assembly) -> bool:
    return _participates(user, assembly)


@rule("proposals.edit")
def _edit(user, proposal) -> bool:
    # Submitted too: after a consent round's objections, the authors rework the text
    # before the next round (a save is refused while a round is open).
    return proposal.status in (DRAFT, DISCUSSION, SUBMITTED) and is_author(user, proposal) and \
        not proposal.assembly.is_closed


@rule("proposals.author")
def _author(user, proposal) -> bool:
    """Decide on amendments, co-authors and the proposal's own steps."""
    return not proposal.is_final and is_author(user, proposal)


@rule("proposals.join")
def _join(user, proposal) -> bool:
    return proposal.status in (DRAFT, DISCUSSION) and _participates(user, proposal.assembly) and \
        not is_author(user, proposal)


@rule("proposals.amend")
def _amend(user, proposal) -> bool:
    return proposal.status in (DISCUSSION, SUBMITTED) and _participates(user, proposal.assembly)


@rule("proposals.support", membership_only=True)
def _support(user, proposal) -> bool:
    return proposal.status in (DISCUSSION, SUBMITTED) and _participates(user, proposal.assembly)


@rule("proposals.comment")
def _comment(user, proposal) -> bool:
    return _participates(user, proposal.assembly)


@rule("proposals.facilitate")
def _facilitate(user, assembly) -> bool:
    return user is not None and can("assembly.facilitate", assembly, user=user)


@moderators("proposals")
def _moderate(user, proposal) -> bool:
    """The assembly's facilitators moderate the comments on its proposals."""
    return can("assembly.facilitate", proposal.assembly, user=user)


@rule("proposals.run_round")
def _run_round(user, proposal) -> bool:
    """Open and close consent rounds, and record how objections were treated."""
    if user is None or proposal.status in FINAL_STATUSES:
        return False
    if proposal.submitted_to == TO_CIRCLE and proposal.circle is not None and \
            can("circle.facilitate", proposal.circle, user=user):
        return True
    return can("assembly.facilitate", proposal.assembly, user=user)


@rule("proposals.answer", membership_only=True)
def _answer(user, proposal) -> bool:
    """Answer the proposal's open consent round."""
    if user is None or proposal.status in FINAL_STATUSES:
        return False
    if proposal.submitted_to == TO_CIRCLE and proposal.circle is not None:
        return can("circle.member", proposal.circle, user=user)
    return _participates(user, proposal.assembly)


@rule("proposals.step")
def _step(user, proposal) -> bool:
    """Ask for a change of status: the authors move their proposal forward or withdraw it,
    the facilitators record the assembly's decision (drafting.py says which step is whose)."""
    return can("proposals.facilitate", proposal.assembly, user=user) or can("proposals.author", proposal, user=user)


@rule("proposals.authorship")
def _authorship(user, proposal, context) -> bool:
    """Answer a co-authorship request or invitation about ``person_id``: the person
    themself (their invitation, or leaving), or the proposal's authors."""
    return user is not None and (user.id == context.get("person_id") or can("proposals.author", proposal, user=user))


@rule("proposals.own_amendment", membership_only=True)
def _own_amendment(user, amendment) -> bool:
    """Withdraw an amendment or maintain it for the assembly: its author, nobody in their place."""
    return user is not None and amendment.author_id == user.id


@rule("proposals.open_round")
def _open_round(user, proposal, context) -> bool:
    """Open a consent round: who runs the proposal's rounds, and the circle's facilitators
    for a round that submits the proposal to their circle."""
    if user is None:
        return False
    to_circle = proposal.status == DISCUSSION and context.get("submitted_to") == TO_CIRCLE
    if to_circle and proposal.circle is not None and can("circle.facilitate", proposal.circle, user=user):
        return True
    return can("proposals.run_round", proposal, user=user)


@rule("proposals.resolve_objection")
def _resolve_objection(user, proposal, context) -> bool:
    """Record how an objection was treated: its author, or who runs the rounds."""
    answer = context["answer"]
    return user is not None and (answer.user_id == user.id or can("proposals.run_round", proposal, user=user))
