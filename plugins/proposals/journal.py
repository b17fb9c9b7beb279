"""The sentences that tell the proposals plug-in's acts in the commune's journal of
decisions (the ``journal-sentences`` hook, convergence/journal.py), from what each entry
recorded (the title as it was then), never a query."""

from __future__ import annotations

from flask_babel import gettext as _


def _with_reason(text: str, act) -> str:
    reason = act.get("reason")
    return text + " " + _("Reason: %(reason)s", reason=reason) if reason else text


SENTENCES = {
    "proposals.adopted": lambda a: _with_reason(_(
        "%(who)s recorded the adoption of the proposal « %(title)s » (version %(version)s).", who=a.who,
        title=a.get("title", a.target), version=a.get("version", "?")), a),
    "proposals.rejected": lambda a: _with_reason(_(
        "%(who)s recorded the rejection of the proposal « %(title)s » (version %(version)s).", who=a.who,
        title=a.get("title", a.target), version=a.get("version", "?")), a),
    "proposals.vote_applied": lambda a: _(
        "The result of the majority-judgment vote no. %(n)s was applied to the proposals: « %(winner)s » "
        "comes first.", n=a.target.rpartition(":")[2], winner=a.get("winner")),
}


def sentences() -> dict:
    return SENTENCES
