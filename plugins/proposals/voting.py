"""Competing proposals or amendments put to a majority-judgment vote, through the voting
plug-in's API when it is enabled in the assembly, and the result brought back.

The vote is asked for as ``("proposals", "assembly:<id>")``; when it closes, the
balloting service's ``vote-closed`` signal brings its result here (:func:`on_vote_closed`),
which adopts the winner and rejects the others at once. A tie at the top is left to the
assembly; a facilitator may still apply by hand a vote closed before this existed."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from convergence import audit
from convergence.extensions import db
from convergence.features import is_active
from convergence.models import Amendment
from convergence.plugin_engine import enabled_plugins
from convergence.refusal import Refused
from convergence.web.inputs import whole_number

from . import amendments, drafting
from .models import (AMENDMENT_PENDING, AMENDMENT_REJECTED, DISCUSSION, REJECTED, SUBMITTED, ADOPTED,
                     Proposal)

SOURCE_PROPOSAL, SOURCE_AMENDMENT = "proposals", "proposals.amendment"
ASKER = "proposals"


def available(assembly) -> bool:
    return "mj" in enabled_plugins() and is_active(assembly, "mj")


def _mj():
    from plugins.mj import api

    return api


def vote_url(vote) -> str:
    return _mj().vote_url(vote)


def candidates(assembly) -> list[Proposal]:
    """Proposals that may be put to a vote: in discussion or submitted."""
    return list(db.session.scalars(db.select(Proposal).where(
        Proposal.assembly_id == assembly.id, Proposal.status.in_((DISCUSSION, SUBMITTED)))
        .order_by(Proposal.id.desc()).limit(200)))


# An amendment may be put to a vote while it awaits the authors, or once its author has
# maintained it for the assembly after a rejection.
VOTABLE = db.or_(Amendment.state == AMENDMENT_PENDING,
                 db.and_(Amendment.state == AMENDMENT_REJECTED, Amendment.to_assembly.is_(True)))


def _amended():
    """Amendments with the proposal whose text they amend."""
    return db.select(Amendment, Proposal).join(Proposal, Proposal.document_id == Amendment.document_id)


def amendment_candidates(assembly) -> list[tuple[Amendment, Proposal]]:
    """Amendments that may be put to a vote, of proposals in discussion or submitted."""
    return list(db.session.execute(_amended().where(
        Proposal.assembly_id == assembly.id, Proposal.status.in_((DISCUSSION, SUBMITTED)), VOTABLE)
        .order_by(Amendment.id).limit(200)).all())


def amendment_label(amendment: Amendment, proposal: Proposal) -> str:
    return _("Amendment #%(n)d to « %(title)s »", n=amendment.id, title=proposal.title)[:300]


def send(assembly, user, question, proposal_ids=(), amendment_ids=()):
    """Create the vote; each option points back at its proposal or amendment."""
    if not available(assembly):
        raise Refused(_("Majority-judgment votes are not enabled in this assembly."), 409)
    ids = {whole_number(i) for i in proposal_ids} - {None}
    amendment_ids = {whole_number(i) for i in amendment_ids} - {None}
    options = []
    if ids:
        found = db.session.scalars(db.select(Proposal).where(Proposal.id.in_(ids),
                                                             Proposal.assembly_id == assembly.id)).all()
        if len(found) != len(ids) or any(p.status not in (DISCUSSION, SUBMITTED) for p in found):
            raise Refused(_("Choose proposals of this assembly that are in discussion or submitted."))
        options += [(p.title, SOURCE_PROPOSAL, p.id) for p in sorted(found, key=lambda p: p.id)]
    if amendment_ids:
        found = db.session.execute(_amended().where(
            Amendment.id.in_(amendment_ids), Proposal.assembly_id == assembly.id, VOTABLE)).all()
        if len(found) != len(amendment_ids):
            raise Refused(_("Choose amendments awaiting a decision or put to the assembly."))
        options += [(amendment_label(a, p), SOURCE_AMENDMENT, a.id) for a, p in sorted(found, key=lambda f: f[0].id)]
    if len(options) < 2:
        raise Refused(_("Choose at least two proposals or amendments to put to the vote."))
    mj = _mj()
    try:
        return mj.create_vote(assembly, question, options, created_by=user, commit=False,
                              asked_by=(ASKER, f"assembly:{assembly.id}"))
    except mj.VoteDefinitionError as error:
        db.session.rollback()
        raise Refused(str(error)) from None


def outcomes(source: str, item_id: int) -> list[dict]:
    """The votes an item took part in, with its rank once the results are visible."""
    if "mj" not in enabled_plugins():
        return []
    mj = _mj()
    found = []
    for vote in mj.votes_for_source(source, item_id):
        results = mj.results_for(vote)
        row = None
        if results is not None:
            row = next((r for r in results.ranking if r.option.source_plugin == source
                        and r.option.source_id == str(item_id)), None)
        found.append({"vote": vote, "url": mj.vote_url(vote), "status": mj.status(vote), "result": row,
                      "options": len(vote.options), "results": results})
    return found


def apply(vote_id, user, assembly) -> tuple[str, int]:
    """Bring a closed vote's result back by hand (see :func:`apply_result`)."""
    if not available(assembly):
        raise Refused(_("Majority-judgment votes are not enabled in this assembly."), 409)
    mj = _mj()
    number = whole_number(vote_id)
    vote = mj.get_vote(number) if number is not None else None
    if vote is None or vote.assembly_id != assembly.id:
        raise Refused(_("Unknown vote."))
    if mj.status(vote) != "closed":
        raise Refused(_("The vote is not closed yet."), 409)
    return apply_result(vote, mj.results_for(vote), user, assembly)


def on_vote_closed(vote, *, result, asked_by, closed_by=None, **_signal):
    """Receiver of ``vote-closed``: the result of a vote this plug-in asked for is applied
    at once and committed. A tie, or a result already applied, changes nothing; a failure
    leaves the vote closed and the result to be applied by hand."""
    if asked_by is None or asked_by[0] != ASKER or "proposals" not in enabled_plugins():
        return
    assembly = vote.assembly
    if assembly is None or not available(assembly):
        return
    try:
        apply_result(vote, result, closed_by, assembly)
        db.session.commit()
    except Refused:
        db.session.rollback()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("the result of vote %s could not be applied to its proposals", vote.id)


def apply_result(vote, results, user, assembly) -> tuple[str, int]:
    """The winner is adopted (or its amendment accepted), the other options rejected. A tie
    at the top is left to the assembly. The caller commits."""
    ranking = results.ranking
    linked = [r for r in ranking if r.option.source_plugin in (SOURCE_PROPOSAL, SOURCE_AMENDMENT)]
    winners = [r for r in linked if r.rank == 1]
    if len(winners) != 1:
        raise Refused(_("Several options share the first rank: the assembly must decide between them."), 409)
    reason = _("Majority-judgment vote « %(question)s »", question=vote.question)[:300]
    changed = 0
    for row in linked:
        won = row is winners[0]
        item_id = int(row.option.source_id)
        if row.option.source_plugin == SOURCE_PROPOSAL:
            proposal = db.session.get(Proposal, item_id)
            if proposal is None or proposal.is_final:
                continue
            drafting.record_status(proposal, ADOPTED if won else REJECTED, user, reason)
        else:
            amendment = db.session.get(Amendment, item_id)
            proposal = amendments.proposal_of(amendment) if amendment is not None else None
            # Decided already (by this vote or otherwise): only a votable amendment changes.
            votable = proposal is not None and (amendment.state == AMENDMENT_PENDING or (
                amendment.state == AMENDMENT_REJECTED and amendment.to_assembly))
            if not votable or proposal.is_final:
                continue
            if won:
                amendments.take_in(amendment, proposal, user, reason)
            else:
                if amendment.state == AMENDMENT_PENDING:
                    amendment.reason = reason
                amendments.decide(amendment, AMENDMENT_REJECTED, user)
                amendment.to_assembly = False
        changed += 1
    if not changed:
        raise Refused(_("The result of this vote has already been applied."), 409)
    audit.record("proposals.vote_applied", commune_id=assembly.commune_id, target=f"vote:{vote.id}",
                 winner=winners[0].option.label[:120])
    return winners[0].option.label, changed
