"""The vote between wordings (« vote entre rédactions »): mutually exclusive amendments of
one article put to a majority judgment of the delegations, and its result brought back.

The drafting committee chooses two or more open amendments of the same article; they
become one exclusive group (procedure.group) and a vote of the mj plug-in is created and
opened at once through ``plugins/mj/api.py`` (no other module of mj is imported), asked
for as ``("cdc", "wording:<declaration>:<group>")``. Its options are the article's current wording
(« texte actuel ») and each amendment's own wording.

**One voice per delegation.** The vote is by codes: the mandated delegate of a registered
delegation (delegates.py, as for the floor votes) asks for their delegation's code, made
then, once per delegation (``cdc_wording_codes``), and is sent to mj's code page with it.
Majority judgment grades are not weighed: a delegation's ``vote_weight`` does not count here.

**The close**, by the committee's button, on mj's own page or at a set time, always sends
mj's ``vote-closed`` signal (convergence/hooks.py): :func:`on_vote_closed` applies the
winning wording — the winner adopted, the others rejected « écartée par le vote entre
rédactions », or all rejected when the current text wins — and commits. A tie at the top
(or no ballot) is left to the committee, as is a winner that no longer applies (its
article changed meanwhile); the amendments stay open then and may be decided by hand.

While the vote is open its amendments take no procedure, answer or outcome by hand, and
the declaration cannot be adopted (:func:`require_not_in_open_vote`, :func:`open_votes`).
Nothing here commits, except what mj's API commits and the signal's receiver.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from convergence import audit
from convergence.extensions import db
from convergence.features import is_active
from convergence.models.base import utcnow
from convergence.plugin_engine import enabled_plugins
from convergence.refusal import Refused

from . import declarations, outcomes, procedure
from .declaration_models import (AMENDING, DRAFT, KIND_ADD, OUTCOME_REJECTED, VOTING, Declaration,
                                 DeclarationAmendment, FloorVote)
from .models import Delegation
from .wording_models import (RESULT_AMENDMENT, RESULT_CURRENT, RESULT_TIE, RESULT_UNAPPLIED, WordingCode,
                             WordingVote)

ASKER = "cdc"
SOURCE = "cdc"
CURRENT = "current"  # the source id of the « texte actuel » option
LABEL_MAX = 300  # mj's longest option label


def _mj():
    from plugins.mj import api

    return api


def available(assembly) -> bool:
    return "mj" in enabled_plugins() and is_active(assembly, "mj")


def reason_set_aside() -> str:
    return _("Set aside by the vote between wordings.")


# -- pure ---------------------------------------------------------------------------------
def label(prefix: str, text: str) -> str:
    """An option's label: « A12 — the wording… », cut to what mj stores (the full wordings
    are in the vote's description and on the meeting's page)."""
    words = " ".join((text or "").split())
    full = f"{prefix} — {words}" if words else prefix
    return full if len(full) <= LABEL_MAX else full[:LABEL_MAX - 1].rstrip() + "…"


def winner_of(ranking: Iterable[tuple[int, str | None, str | None]], participants: int) -> str | None:
    """The source id of the one option ranked first, from ``(rank, source_plugin, source_id)``
    rows; None when nobody voted or several options share the first rank."""
    firsts = [source_id for rank, plugin, source_id in ranking if rank == 1 and plugin == SOURCE]
    if participants < 1 or len(firsts) != 1:
        return None
    return firsts[0]


# -- reading ------------------------------------------------------------------------------
def of_declaration(declaration: Declaration) -> list[WordingVote]:
    return list(db.session.scalars(db.select(WordingVote).where(WordingVote.declaration_id == declaration.id)
                                   .order_by(WordingVote.id)))


def amendments_of(wording_vote: WordingVote) -> list[DeclarationAmendment]:
    return list(db.session.scalars(db.select(DeclarationAmendment).where(
        DeclarationAmendment.declaration_id == wording_vote.declaration_id,
        DeclarationAmendment.mj_vote_id == wording_vote.mj_vote_id).order_by(DeclarationAmendment.number)))


def mj_vote(wording_vote: WordingVote):
    return _mj().get_vote(wording_vote.mj_vote_id)


def state(wording_vote: WordingVote) -> str:
    """mj's status of the vote (draft, scheduled, open, closed); closed if mj lost it."""
    vote = mj_vote(wording_vote)
    return _mj().status(vote) if vote is not None else "closed"


def is_open(wording_vote: WordingVote) -> bool:
    return wording_vote.settled_at is None and state(wording_vote) != "closed"


def open_votes(declaration: Declaration) -> list[WordingVote]:
    return [w for w in db.session.scalars(db.select(WordingVote).where(
        WordingVote.declaration_id == declaration.id, WordingVote.settled_at.is_(None))) if is_open(w)]


def require_not_in_open_vote(amendment: DeclarationAmendment) -> None:
    """Refuse to decide by hand an amendment whose wording is being voted on."""
    if amendment.mj_vote_id is None:
        return
    wording_vote = db.session.scalar(db.select(WordingVote).where(WordingVote.mj_vote_id == amendment.mj_vote_id))
    if wording_vote is not None and is_open(wording_vote):
        raise Refused(_("Amendment A%(n)d is in a vote between wordings still open: its fate is decided by that "
                        "vote.", n=amendment.number), 409)


# -- creating -----------------------------------------------------------------------------
def _chosen(declaration: Declaration, numbers: Iterable[int]) -> list[DeclarationAmendment]:
    wanted = sorted(set(numbers))
    if len(wanted) < 2:
        raise Refused(_("Choose at least two amendments of the same article."))
    rows = list(db.session.scalars(db.select(DeclarationAmendment).where(
        DeclarationAmendment.declaration_id == declaration.id, DeclarationAmendment.number.in_(wanted))
        .order_by(DeclarationAmendment.number)))
    missing = set(wanted) - {a.number for a in rows}
    if missing:
        raise Refused(_("There is no amendment A%(n)d.", n=min(missing)), 404)
    for amendment in rows:
        outcomes.require_open(amendment)
        require_not_in_open_vote(amendment)
    if len({(a.kind, a.article_id) for a in rows}) != 1:
        raise Refused(_("Only amendments of the same article exclude one another."))
    floor = db.session.scalar(db.select(DeclarationAmendment.number).join(
        FloorVote, FloorVote.amendment_id == DeclarationAmendment.id).where(
        DeclarationAmendment.id.in_([a.id for a in rows])).order_by(DeclarationAmendment.number).limit(1))
    if floor is not None:
        raise Refused(_("Amendment A%(n)d already has a floor vote of its own.", n=floor), 409)
    return rows


def _group_of(declaration: Declaration, rows: list[DeclarationAmendment], user) -> int:
    """The exclusive group of ``rows``: the one they already form exactly, or a new one."""
    groups = {a.exclusive_group for a in rows}
    if groups == {None}:
        return procedure.group(declaration, [a.number for a in rows], user)
    if len(groups) == 1:
        (number,) = groups
        members = db.session.scalars(db.select(DeclarationAmendment.number).where(
            DeclarationAmendment.declaration_id == declaration.id,
            DeclarationAmendment.exclusive_group == number)).all()
        if sorted(members) == [a.number for a in rows]:
            return number
    raise Refused(_("Some of these amendments are in another group: choose the whole group, or dissolve it "
                    "first."), 409)


def _current_wording(rows: list[DeclarationAmendment]) -> str:
    first = rows[0]
    if first.kind == KIND_ADD:
        return _("no new article")
    if first.article is None:
        raise Refused(_("The article amendment A%(n)d changes no longer exists.", n=first.number), 409)
    return first.article.text


def _where(rows: list[DeclarationAmendment]) -> str:
    first = rows[0]
    if first.kind == KIND_ADD:
        if first.article is None:
            return _("the new article at the start")
        return _("the new article after article %(n)d", n=first.article.number)
    return _("article %(n)d", n=first.article.number)


def create(declaration: Declaration, numbers: Iterable[int], user) -> WordingVote:
    """Group the amendments numbered ``numbers`` and create their vote, open at once.

    Everything is checked before anything is written; mj's ``open_vote`` commits the vote,
    the group and this row together (a failure rolls all of it back). The declaration's row
    is locked first (as tabling does), so two members of the committee pressing at once on
    the same amendments open one vote: the second finds them in the first's."""
    declaration = db.session.scalar(db.select(Declaration).where(Declaration.id == declaration.id)
                                    .with_for_update().execution_options(populate_existing=True))
    declarations.require_not_adopted(declaration)
    if declaration.state == DRAFT:
        raise Refused(_("The declaration is still a draft: open it to amendments before voting."), 409)
    assembly = declaration.meeting.assembly
    if not available(assembly):
        raise Refused(_("Majority-judgment votes are not switched on in this meeting's assembly: switch them "
                        "on in its tools first."), 409)
    rows = _chosen(declaration, numbers)
    current = _current_wording(rows)
    where = _where(rows)
    group = _group_of(declaration, rows, user)
    mj = _mj()
    options = [(label(_("Current text"), current), SOURCE, CURRENT)]
    options += [(label(f"A{a.number}", a.amendment.new_text), SOURCE, a.id) for a in rows]
    question = _("Which wording for %(where)s of « %(title)s »?", where=where, title=declaration.document.title)
    description = "\n\n".join([_("Current text: %(text)s", text=current)] + [
        f"A{a.number}: {a.amendment.new_text}" for a in rows])
    wording_vote = WordingVote(declaration_id=declaration.id, exclusive_group=group,
                               article_id=rows[0].article_id, created_by_id=getattr(user, "id", None))
    try:
        vote = mj.create_vote(assembly, label(question, ""), options, commit=False, voters="codes",
                              description=description, created_by=user,
                              asked_by=(ASKER, f"wording:{declaration.id}:{group}"))
        wording_vote.mj_vote_id = vote.id
        db.session.add(wording_vote)
        db.session.flush()
    except mj.VoteDefinitionError as error:
        db.session.rollback()
        raise Refused(str(error), getattr(error, "status", 422)) from None
    for amendment in rows:
        amendment.mj_vote_id = vote.id
    if declaration.state == AMENDING:
        declaration.state = VOTING
    audit.record("cdc.wording.opened", commune_id=assembly.commune_id, target=declaration.document.title,
                 amendments=[f"A{a.number}" for a in rows], group=group, vote=vote.id)
    return wording_vote


def start(wording_vote: WordingVote) -> None:
    """Open the vote now: commits everything :func:`create` wrote, then tells mj's live channel."""
    mj = _mj()
    try:
        mj.open_vote(mj_vote(wording_vote))
    except mj.VoteDefinitionError as error:
        db.session.rollback()
        raise Refused(str(error), getattr(error, "status", 409)) from None


# -- voting -------------------------------------------------------------------------------
def code_for(wording_vote: WordingVote, delegation: Delegation) -> str:
    """The delegation's voting code, made the first time it is asked (one per delegation:
    two requests at once meet on the table's key, and the second takes the first's code)."""
    if not is_open(wording_vote):
        raise Refused(_("This vote between wordings is not open: ballots are no longer accepted."), 409)
    found = db.session.get(WordingCode, (wording_vote.id, delegation.id))
    if found is not None:
        return found.code
    mj = _mj()
    ids = (wording_vote.id, delegation.id)
    try:
        made = mj.create_codes(mj_vote(wording_vote), 1)[0].code  # committed by mj
    except mj.VoteDefinitionError as error:
        raise Refused(str(error), getattr(error, "status", 409)) from None
    try:
        with db.session.begin_nested():
            db.session.add(WordingCode(wording_vote_id=ids[0], delegation_id=ids[1], code=made))
    except IntegrityError:
        # Another request of the same delegate made one first; the code made here stays unused.
        return db.session.get(WordingCode, ids).code
    return made


def voted_delegations(wording_vote: WordingVote) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(WordingCode)
                             .where(WordingCode.wording_vote_id == wording_vote.id)) or 0


# -- closing ------------------------------------------------------------------------------
def close(wording_vote: WordingVote, user) -> None:
    """Close the mj vote now; its ``vote-closed`` signal brings the result here."""
    mj = _mj()
    vote = mj_vote(wording_vote)
    if vote is None or wording_vote.settled_at is not None:
        raise Refused(_("This vote between wordings is already closed."), 409)
    try:
        mj.close_vote(vote, closed_by=user)
    except mj.VoteDefinitionError as error:
        raise Refused(str(error), getattr(error, "status", 409)) from None


def settle(wording_vote: WordingVote, results, user) -> str:
    """Apply the closed vote's result once (a second call changes nothing); not committed."""
    if wording_vote.settled_at is not None:
        return wording_vote.result
    declaration = db.session.get(Declaration, wording_vote.declaration_id)
    rows = amendments_of(wording_vote)
    ranking = [(r.rank, r.option.source_plugin, r.option.source_id) for r in results.ranking] if results else []
    won = winner_of(ranking, results.participants if results else 0)
    by_id = {str(a.id): a for a in rows}
    winner = by_id.get(won) if won not in (None, CURRENT) else None
    if won is None or (won != CURRENT and winner is None):
        result = RESULT_TIE
    else:
        result = RESULT_CURRENT if won == CURRENT else RESULT_AMENDMENT
        try:
            with db.session.begin_nested():
                for amendment in rows:
                    if amendment.outcome is not None:
                        continue  # decided otherwise (the text adopted meanwhile)
                    if amendment is winner:
                        outcomes.adopt(amendment, user, wording_text=amendment.amendment.new_text)
                    else:
                        outcomes.close(amendment, user, OUTCOME_REJECTED, reason_set_aside())
        except Refused as refused:
            result, wording_vote.note = RESULT_UNAPPLIED, str(refused)
    wording_vote.result = result
    wording_vote.winner_id = winner.id if winner is not None and result != RESULT_TIE else None
    wording_vote.settled_at = utcnow()
    audit.record("cdc.wording.closed", commune_id=declaration.meeting.assembly.commune_id,
                 target=declaration.document.title, result=result,
                 winner=f"A{winner.number}" if winner is not None else "",
                 amendments=[f"A{a.number}" for a in rows])
    return result


def on_vote_closed(vote, *, result, asked_by, closed_by=None, **_signal) -> None:
    """Receiver of ``vote-closed`` (convergence/hooks.py): a vote this plug-in asked for
    has its result applied and committed; the vote stays closed whatever happens here."""
    if asked_by is None or asked_by[0] != ASKER or "cdc" not in enabled_plugins():
        return
    wording_vote = db.session.scalar(db.select(WordingVote).where(WordingVote.mj_vote_id == vote.id))
    if wording_vote is None:
        return
    try:
        settle(wording_vote, result, closed_by)
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("the vote between wordings %s could not be settled", wording_vote.id)
