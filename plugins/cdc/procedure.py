"""The drafting committee's proposed procedure on an amendment, the tabling delegation's
answer, and the groups of mutually exclusive amendments. Nothing here commits.

The committee proposes (OpenSlides' « Verfahrensvorschlag »): accept, accept with its own
wording, merge into another amendment, or reject with a reason. The delegation that tabled
the amendment then agrees — the procedure is applied at once through outcomes.py — or
maintains its amendment, which then goes to a vote of the delegations (floor.py).

Who may do it is decided by permissions.py (``cdc.organise``, ``cdc.amendment.answer``);
these functions check the amendment's state and what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.models.base import utcnow
from convergence.refusal import Refused

from . import declarations, outcomes
from .declaration_models import (ANSWER_AGREED, ANSWER_MAINTAINED, ANSWERS, OUTCOME_MERGED, OUTCOME_REJECTED,
                                 PROCEDURE_ACCEPT, PROCEDURE_MERGE, PROCEDURE_MODIFIED, PROCEDURE_REJECT,
                                 PROCEDURES, Declaration, DeclarationAmendment)

REASON_MAX = 2000

# Where an amendment stands, for the committee's filters (see :func:`stage`).
STAGE_WAITING, STAGE_PROPOSED, STAGE_MAINTAINED, STAGE_DECIDED = "waiting", "proposed", "maintained", "decided"
STAGES = (STAGE_WAITING, STAGE_PROPOSED, STAGE_MAINTAINED, STAGE_DECIDED)


# -- pure ---------------------------------------------------------------------------------
def stage(procedure: str | None, answer: str | None, outcome: str | None) -> str:
    """Waiting for the committee, waiting for the delegation's answer, maintained (to the
    vote), or decided."""
    if outcome is not None:
        return STAGE_DECIDED
    if answer == ANSWER_MAINTAINED:
        return STAGE_MAINTAINED
    return STAGE_PROPOSED if procedure is not None else STAGE_WAITING


def next_group(existing: Iterable[int | None]) -> int:
    """A group number not used yet in the declaration."""
    return max((g for g in existing if g is not None), default=0) + 1


class Standing(NamedTuple):
    id: int
    number: int
    stage: str
    group: int | None


def summary(declaration: Declaration) -> list[Standing]:
    """Where every amendment of the declaration stands, in number order, in one light query."""
    a = DeclarationAmendment
    rows = db.session.execute(db.select(a.id, a.number, a.procedure, a.answer, a.outcome, a.exclusive_group)
                              .where(a.declaration_id == declaration.id).order_by(a.number))
    return [Standing(i, n, stage(p, ans, out), g) for i, n, p, ans, out, g in rows]


# -- the committee's procedure --------------------------------------------------------------
def amendment_numbered(declaration: Declaration, number: int) -> DeclarationAmendment | None:
    return db.session.scalar(db.select(DeclarationAmendment).where(
        DeclarationAmendment.declaration_id == declaration.id, DeclarationAmendment.number == number))


def _require_undecided(amendment: DeclarationAmendment) -> None:
    from .wording_vote import require_not_in_open_vote  # it builds on this module's groups

    outcomes.require_open(amendment)
    declarations.require_not_adopted(amendment.declaration)
    require_not_in_open_vote(amendment)


def propose(amendment: DeclarationAmendment, user, procedure: str, *, text: str = "", reason: str = "",
            merge_into: int | None = None) -> None:
    """Record the committee's proposed procedure; a new proposal replaces the one not yet
    answered (its delegation answers the proposal it sees)."""
    _require_undecided(amendment)
    if amendment.answer is not None:
        raise Refused(_("The delegation has already answered on amendment A%(n)d: it goes to the vote.",
                        n=amendment.number), 409)
    if procedure not in PROCEDURES:
        raise Refused(_("Choose a procedure."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise Refused(_("The reason is longer than %(n)d characters.", n=REASON_MAX))
    target = None
    if procedure == PROCEDURE_REJECT and not reason:
        raise Refused(_("Say why the committee proposes to reject amendment A%(n)d.", n=amendment.number))
    if procedure == PROCEDURE_MODIFIED:
        text = declarations.check_wording(text)
        if text == amendment.amendment.new_text.strip():
            raise Refused(_("The committee's wording is the amendment's own: propose to accept it as it is."))
    if procedure == PROCEDURE_MERGE:
        target = _merge_target(amendment, merge_into)
    amendment.procedure = procedure
    amendment.procedure_text = text if procedure == PROCEDURE_MODIFIED else ""
    amendment.procedure_reason = reason
    amendment.merge_into_id = target.id if target is not None else None
    amendment.procedure_at = utcnow()
    _journal("cdc.amendment.procedure", amendment, procedure=procedure,
             into=target.number if target is not None else None)


def _merge_target(amendment: DeclarationAmendment, number: int | None) -> DeclarationAmendment:
    if number is None:
        raise Refused(_("Give the number of the amendment it is merged into."))
    target = amendment_numbered(amendment.declaration, number)
    if target is None:
        raise Refused(_("There is no amendment A%(n)d.", n=number), 404)
    if target.id == amendment.id:
        raise Refused(_("An amendment cannot be merged into itself."))
    if target.outcome is not None:
        raise Refused(_("Amendment A%(n)d has already been decided: merge into an open one.", n=number), 409)
    if target.merge_into_id == amendment.id:
        raise Refused(_("Amendment A%(n)d is already proposed to be merged into this one.", n=number), 409)
    return target


# -- the delegation's answer ----------------------------------------------------------------
def answer(amendment: DeclarationAmendment, user, reply: str) -> None:
    """Agreeing applies the procedure now; maintaining sends the amendment to the vote."""
    _require_undecided(amendment)
    if amendment.procedure is None:
        raise Refused(_("The committee has not proposed a procedure on amendment A%(n)d yet.",
                        n=amendment.number), 409)
    if amendment.answer is not None:
        raise Refused(_("Your delegation has already answered on amendment A%(n)d.", n=amendment.number), 409)
    if reply not in ANSWERS:
        raise Refused(_("Agree or maintain the amendment."))
    amendment.answer = reply
    amendment.answered_at = utcnow()
    if reply == ANSWER_AGREED:
        _apply(amendment, user)
    _journal("cdc.amendment.answered", amendment, answer=reply)


def _apply(amendment: DeclarationAmendment, user) -> None:
    if amendment.procedure in (PROCEDURE_ACCEPT, PROCEDURE_MODIFIED):
        outcomes.adopt(amendment, user)  # outcomes.wording takes the committee's wording
    elif amendment.procedure == PROCEDURE_MERGE:
        target = db.session.get(DeclarationAmendment, amendment.merge_into_id) if amendment.merge_into_id else None
        if target is None:
            raise Refused(_("The amendment it was to be merged into no longer exists."), 409)
        outcomes.close(amendment, user, OUTCOME_MERGED, _("Merged into A%(n)d", n=target.number))
    else:
        outcomes.close(amendment, user, OUTCOME_REJECTED, amendment.procedure_reason)


# -- exclusive groups -----------------------------------------------------------------------
def group(declaration: Declaration, numbers: Iterable[int], user) -> int:
    """Make the amendments numbered ``numbers`` one group of mutually exclusive wordings of
    the same article; returns the group's number."""
    wanted = sorted(set(numbers))
    if len(wanted) < 2:
        raise Refused(_("Choose at least two amendments of the same article."))
    declarations.require_not_adopted(declaration)
    rows = list(db.session.scalars(db.select(DeclarationAmendment).where(
        DeclarationAmendment.declaration_id == declaration.id, DeclarationAmendment.number.in_(wanted))))
    missing = set(wanted) - {a.number for a in rows}
    if missing:
        raise Refused(_("There is no amendment A%(n)d.", n=min(missing)), 404)
    for amendment in rows:
        outcomes.require_open(amendment)
        if amendment.exclusive_group is not None:
            raise Refused(_("Amendment A%(n)d is already in a group: dissolve that group first.",
                            n=amendment.number), 409)
    if len({(a.kind, a.article_id) for a in rows}) != 1:
        raise Refused(_("Only amendments of the same article exclude one another."))
    used = db.session.scalars(db.select(DeclarationAmendment.exclusive_group).where(
        DeclarationAmendment.declaration_id == declaration.id))
    number = next_group(used)
    for amendment in rows:
        amendment.exclusive_group = number
    audit.record("cdc.amendment.grouped", commune_id=declaration.meeting.assembly.commune_id,
                 target=declaration.document.title, group=number, amendments=[f"A{n}" for n in wanted])
    return number


def dissolve(declaration: Declaration, number: int, user) -> None:
    declarations.require_not_adopted(declaration)
    rows = list(db.session.scalars(db.select(DeclarationAmendment).where(
        DeclarationAmendment.declaration_id == declaration.id, DeclarationAmendment.exclusive_group == number)))
    if not rows:
        raise Refused(_("There is no such group."), 404)
    if any(a.mj_vote_id is not None for a in rows):
        raise Refused(_("The vote between these amendments has started: the group stays."), 409)
    for amendment in rows:
        amendment.exclusive_group = None
    audit.record("cdc.amendment.ungrouped", commune_id=declaration.meeting.assembly.commune_id,
                 target=declaration.document.title, group=number)


def _journal(action: str, amendment: DeclarationAmendment, **details) -> None:
    declaration = amendment.declaration
    audit.record(action, commune_id=declaration.meeting.assembly.commune_id, target=f"A{amendment.number}",
                 declaration=declaration.document.title, **details)
