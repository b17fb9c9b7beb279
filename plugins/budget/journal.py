"""The sentences that tell the budget plug-in's acts in the commune's journal of decisions
(the ``journal-sentences`` hook, convergence/journal.py). Entries name a process as
``budget:<process id>`` and a project as ``budget:<process id>:<project number>``; the
sentence reads those numbers and the entry's details, without a query.

Acts: ``budget.process_created`` (title, envelope), ``budget.rules_frozen`` (recorded by
the ballot branch as the vote opens), ``budget.review`` (verdict, cost), ``budget.merge``
(into)."""

from __future__ import annotations

from flask_babel import gettext as _


def _parts(target: str) -> tuple[str, str]:
    # « budget:3:12 » → ("3", "12"); « budget:3 » → ("3", "").
    _kind, _sep, rest = target.partition(":")
    process, _sep, number = rest.partition(":")
    return process, number


def _created(act) -> str:
    from .amounts import format_euros

    envelope = act.get("envelope")
    amount = format_euros(int(envelope)) if isinstance(envelope, int) else "—"
    return _("%(who)s created the participatory budget no. %(n)s « %(title)s », with an envelope of %(amount)s.",
             who=act.who, n=_parts(act.target)[0], title=act.get("title") or "", amount=amount)


def _frozen(act) -> str:
    return _("The ballot rules of the participatory budget no. %(n)s were frozen as its vote opened.",
             n=_parts(act.target)[0])


def _review(act) -> str:
    process, number = _parts(act.target)
    if act.get("verdict") == "feasible":
        return _("%(who)s found the project no. %(p)s of the participatory budget no. %(n)s feasible.",
                 who=act.who, p=number, n=process)
    return _("%(who)s found the project no. %(p)s of the participatory budget no. %(n)s not feasible.",
             who=act.who, p=number, n=process)


def _merge(act) -> str:
    process, number = _parts(act.target)
    return _("%(who)s merged the project no. %(p)s of the participatory budget no. %(n)s, a duplicate, into the "
             "project no. %(into)s.", who=act.who, p=number, n=process, into=act.get("into"))


SENTENCES = {"budget.process_created": _created, "budget.rules_frozen": _frozen, "budget.review": _review,
             "budget.merge": _merge}


def sentences() -> dict:
    return SENTENCES
