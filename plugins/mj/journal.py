"""The sentences that tell mj's acts in the commune's journal of decisions (the
``journal-sentences`` hook, convergence/journal.py): from what each entry recorded,
never a query."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

# The register's head is 64 hexadecimal digits: its start is enough to recognise it here
# (in full on the vote's register page), and a phone's line is not widened by it.
HEAD_SHOWN = 12


def _closed(act) -> str:
    head = str(act.get("register_head"))[:HEAD_SHOWN]
    text = _("%(who)s closed the vote « %(question)s ».", who=act.who, question=act.target)
    ballots = ngettext("%(num)d ballot cast online in its register", "%(num)d ballots cast online in its register",
                       int(act.get("online_ballots", 0)))
    if head:
        return text + " " + _("%(ballots)s, last hash %(head)s…", ballots=ballots, head=head) + "."
    return text + " " + ballots + "."


def _paper(added: bool):
    def sentence(act) -> str:
        num = int(act.get("ballots", 0))
        if added:
            return ngettext("%(who)s entered a batch of %(num)d paper ballot for the vote « %(question)s ».",
                            "%(who)s entered a batch of %(num)d paper ballots for the vote « %(question)s ».",
                            num, who=act.who, question=act.target)
        return ngettext("%(who)s removed a batch of %(num)d paper ballot from the vote « %(question)s ».",
                        "%(who)s removed a batch of %(num)d paper ballots from the vote « %(question)s ».",
                        num, who=act.who, question=act.target)
    return sentence


SENTENCES = {
    "mj.vote.created": lambda a: _("%(who)s created the majority-judgment vote « %(question)s ».", who=a.who,
                                   question=a.target),
    "mj.vote.opened": lambda a: _("%(who)s opened the vote « %(question)s ».", who=a.who, question=a.target),
    "mj.codes.created": lambda a: ngettext("%(who)s created %(num)d voting code for « %(question)s ».",
                                           "%(who)s created %(num)d voting codes for « %(question)s ».",
                                           int(a.get("count", 0)), who=a.who, question=a.target),
    "mj.paper.added": _paper(True),
    "mj.paper.removed": _paper(False),
    "mj.vote.closed": _closed,
}


def sentences() -> dict:
    return SENTENCES
