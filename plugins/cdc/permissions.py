"""Who may do what with a meeting. Imported by the plug-in's ``init()``.

- The meeting's page, its programme and the delegations registered: anyone.
- Organising (the meeting, its programme, the organisers' view, lodging matches, the
  door): the facilitators of its assembly (and of the host commune).
- Registering a delegation: anyone with an account; the people come from other communes
  and hold no role here. Changing it: the person who registered it (or the organisers).
- Offering lodging « chez l'habitant »: a resident of the host commune (a role there).
- Sending a commune's adopted proposal to a meeting's declaration: a facilitator of the
  proposal's assembly or of its commune (whether the proposal is adopted, the declaration
  open and the commune's delegation registered are the service's checks, with their words).
"""

from __future__ import annotations

from convergence.permissions import can, rule


@rule("cdc.organise")
def _organise(user, assembly) -> bool:
    """``assembly``: the meeting's assembly."""
    return user is not None and can("space.facilitate", assembly, user=user)


@rule("cdc.register")
def _register(user, _assembly) -> bool:
    return user is not None


@rule("cdc.delegation.edit")
def _edit(user, delegation) -> bool:
    if user is None:
        return False
    return delegation.registered_by_id == user.id or can("cdc.organise", delegation.meeting.assembly, user=user)


@rule("cdc.lodging.offer", membership_only=True)
def _offer(user, assembly) -> bool:
    return user is not None and can("commune.member", assembly.commune, user=user)


@rule("cdc.amendment.answer")
def _answer(user, amendment) -> bool:
    """``amendment``: a DeclarationAmendment. A member of the delegation that tabled it
    answers the committee's procedure for it (as any member tables for it)."""
    from .delegates import delegation_of

    if user is None or amendment.delegation_id is None:
        return False
    delegation = delegation_of(amendment.declaration.meeting_id, user)
    return delegation is not None and delegation.id == amendment.delegation_id
@rule("cdc.declaration.take_part")
def _take_part(user, meeting) -> bool:
    """Tabling and supporting amendments: a member of a registered delegation of ``meeting``."""
    from .delegates import delegation_of

    return user is not None and delegation_of(meeting, user) is not None
@rule("cdc.declaration.sign")
def _sign(user, _assembly) -> bool:
    """Signing is asked of anyone signed in; who holds a delegation's mandate is the
    signing service's check (delegates.py), with its own message."""
    return user is not None


@rule("cdc.contribution.send")
def _send_contribution(user, proposal) -> bool:
    """``proposal``: a proposal of the proposals plug-in (read: its ``assembly``)."""
    return user is not None and can("space.facilitate", proposal.assembly, user=user)
