"""The decisions taken on an agenda item: a majority-judgment vote opened in one tap from
the console (through ``plugins.mj.api`` only), and what the minutes list of them (those
votes and the item's consent rounds, item_rounds.py). Nothing
here commits except the api's ``open_vote``, which commits the vote and its link together."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from convergence import features
from convergence.extensions import db
from convergence.refusal import Refused

from .models import ItemVote

OPTIONS_MAX = 20
OPTION_MAX = 200


def offers_votes(assembly) -> bool:
    return features.is_active(assembly, "mj")


def option_labels(text: str) -> list[str]:
    """The options the facilitator typed, one a line: blanks dropped, spaces folded, each
    once (pure; the vote's own rules are checked by the mj plug-in)."""
    labels: list[str] = []
    for line in (text or "").splitlines():
        label = " ".join(line.split())
        if label and label not in labels:
            labels.append(label)
    return labels


def open_vote_on(assembly, item, user, options_text: str):
    """Create and open at once a vote on ``item``, its question the item's title; its link
    written in the same commit. :class:`Refused` (nothing written) if the input is wrong."""
    if not offers_votes(assembly):
        raise Refused(_("Votes are not switched on in this assembly."), 409)
    from plugins.mj import api as mj

    labels = option_labels(options_text)
    if len(labels) < 2:
        raise Refused(_("Write at least two options, one a line."))
    if len(labels) > OPTIONS_MAX:
        raise Refused(_("At most %(n)d options.", n=OPTIONS_MAX))
    if any(len(label) > OPTION_MAX for label in labels):
        raise Refused(_("An option is longer than %(n)d characters.", n=OPTION_MAX))
    try:
        vote = mj.create_vote(assembly, item.title, labels, commit=False, created_by=user,
                              asked_by=("facilitation", item.id))
        db.session.add(ItemVote(item_id=item.id, vote_id=vote.id, assembly_id=assembly.id))
        mj.open_vote(vote)  # commits the vote and its link, then tells the live channel
    except mj.VoteDefinitionError as error:
        db.session.rollback()
        raise Refused(str(error), getattr(error, "status", 422)) from None
    return vote


def _state_label(state: str) -> str:
    return {"open": _("Voting open"), "closed": _("Voting closed")}.get(state, _("Not open yet"))


@dataclass
class Decision:
    label: str
    state: str
    outcome: str
    url: str


def decisions_by_item(assembly, round_url) -> dict[int, list[Decision]]:
    """The consent rounds and the votes held on each item of ``assembly``, with their state
    and outcome (a round's, the option a closed vote ranked first), in a fixed number of
    queries whatever their number: the rounds, the votes' links, the votes with their
    options and their results (``mj.get_votes``, ``mj.results_for_votes``).
    ``round_url(item_id)``: the round's page."""
    from convergence.consent import rounds

    from .item_rounds import rounds_by_item

    found: dict[int, list[Decision]] = {}
    for item_id, held in rounds_by_item(assembly).items():
        for number, round_ in enumerate(held, start=1):
            state = _("Consent round open") if round_.closed_at is None else _("Consent round closed")
            outcome = str(rounds.OUTCOME_LABELS[round_.outcome]) if round_.outcome else ""
            found.setdefault(item_id, []).append(
                Decision(_("Consent round no. %(n)d", n=number), state, outcome, round_url(item_id)))
    links = db.session.scalars(db.select(ItemVote).where(ItemVote.assembly_id == assembly.id)
                               .order_by(ItemVote.opened_at, ItemVote.vote_id)).all()
    if not links or not offers_votes(assembly):
        return found
    from plugins.mj import api as mj

    votes = mj.get_votes(link.vote_id for link in links)
    states = {vote_id: mj.status(vote) for vote_id, vote in votes.items()}
    # Only a closed vote's outcome is told: live results of an open one would say who leads.
    outcomes = mj.results_for_votes(vote for vote_id, vote in votes.items() if states[vote_id] == "closed")
    for link in links:
        vote = votes.get(link.vote_id)
        if vote is None:  # deleted in the votes' own pages
            continue
        found.setdefault(link.item_id, []).append(
            Decision(vote.question, _state_label(states[vote.id]), _outcome(outcomes.get(vote.id)),
                     mj.vote_url(vote)))
    return found


def _outcome(results) -> str:
    """The option ranked first; options tied for first all named (none chosen over the others)."""
    first = [ranked.option.label for ranked in results.winners] if results else []
    if len(first) > 1:
        return _("Tied for first: %(options)s", options=", ".join(first))
    return _("Chosen: %(option)s", option=first[0]) if first else ""
