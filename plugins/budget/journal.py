"""The sentences that tell the budget plug-in's acts in the commune's journal of decisions
(the ``journal-sentences`` hook, convergence/journal.py). Entries name a process as
``budget:<process id>`` and a project as ``budget:<process id>:<project number>``; the
sentence reads those numbers and the entry's details, without a query.

Acts: ``budget.process_created`` (title, envelope), ``budget.vote.opened`` / ``.closed``, ``budget.result.published``,
``budget.codes.created``, ``budget.paper.typed`` / ``.corrected``, ``budget.roll.closed`` (place, counts), ``budget.review`` (verdict, cost), ``budget.merge``
(into); the council decision and the follow-up: ``budget.decision.recorded``,
``budget.follow_up.updated``, ``budget.milestone.*``, ``budget.follow_up.imported``."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext


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


def _opened(act) -> str:
    return ngettext("The vote of the budget « %(title)s » opened, its rules frozen, with %(num)d project on the "
                    "ballot.", "The vote of the budget « %(title)s » opened, its rules frozen, with %(num)d projects "
                    "on the ballot.", int(act.get("projects", 0)), title=act.target)


def _closed(act) -> str:
    return ngettext("The vote of the budget « %(title)s » closed with %(num)d ballot cast online.",
                    "The vote of the budget « %(title)s » closed with %(num)d ballots cast online.",
                    int(act.get("online_ballots", 0)), title=act.target)


def _published(act) -> str:
    return ngettext("%(who)s published the result of the budget « %(title)s »: %(num)d project funded, "
                    "%(cost)s € in all (rule %(rule)s, ballots' hash %(hash)s).",
                    "%(who)s published the result of the budget « %(title)s »: %(num)d projects funded, "
                    "%(cost)s € in all (rule %(rule)s, ballots' hash %(hash)s).", int(act.get("funded", 0)),
                    who=act.who, title=act.target, cost=act.get("cost", 0), rule=act.get("rule"),
                    hash=str(act.get("ballots_hash"))[:12])


def _codes(act) -> str:
    return ngettext("%(who)s made %(num)d voting code for the budget « %(title)s ».",
                    "%(who)s made %(num)d voting codes for the budget « %(title)s ».", int(act.get("count", 0)),
                    who=act.who, title=act.target)


def _typed(act) -> str:
    return _("%(who)s typed in the paper ballot no. %(sheet)s of « %(place)s » for the budget « %(title)s ».",
             who=act.who, sheet=act.get("sheet"), place=act.get("place"), title=act.target)


def _corrected(act) -> str:
    return _("%(who)s corrected the paper ballot no. %(sheet)s of « %(place)s » for the budget « %(title)s ».",
             who=act.who, sheet=act.get("sheet"), place=act.get("place"), title=act.target)


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


def _roll_closed(act) -> str:
    return ngettext("%(who)s closed the register of the polling place « %(place)s » of the budget « %(title)s » "
                    "with %(num)d émargement (%(walk_ins)d without account nor code).",
                    "%(who)s closed the register of the polling place « %(place)s » of the budget « %(title)s » "
                    "with %(num)d émargements (%(walk_ins)d without account nor code).",
                    int(act.get("marked", 0)) + int(act.get("walk_ins", 0)), who=act.who, place=act.get("place"),
                    title=act.target, walk_ins=int(act.get("walk_ins", 0)))


SENTENCES = {"budget.process_created": _created, "budget.vote.opened": _opened, "budget.vote.closed": _closed,
             "budget.result.published": _published, "budget.codes.created": _codes, "budget.paper.typed": _typed,
             "budget.paper.corrected": _corrected, "budget.review": _review, "budget.merge": _merge,
             "budget.roll.closed": _roll_closed}


# -- the council decision and the follow-up (pb-decision) ---------------------------------


def _numbers(values) -> str:
    return ", ".join(str(n) for n in values or ())


def _day(iso) -> str:
    try:
        return format_date(date.fromisoformat(str(iso)), "long")
    except ValueError:  # an entry without its date: said as recorded
        return str(iso or "")


def _decision(act) -> str:
    text = _("%(who)s recorded the council decision n° %(number)s of %(date)s on the budget « %(title)s ».",
             who=act.who, number=act.get("number", ""), date=_day(act.get("decided_on")), title=act.target)
    added, removed = act.get("funded_added") or [], act.get("funded_removed") or []
    if not added and not removed:
        return text + " " + _("The council adopts the result as it is.")
    parts = []
    if added:
        parts.append(ngettext("it funds project %(list)s, which the result did not",
                              "it funds projects %(list)s, which the result did not", len(added),
                              list=_numbers(added)))
    if removed:
        parts.append(ngettext("it does not fund project %(list)s, which the result did",
                              "it does not fund projects %(list)s, which the result did", len(removed),
                              list=_numbers(removed)))
    what = parts[0] if len(parts) == 1 else _("%(first)s; %(second)s", first=parts[0], second=parts[1])
    return text + " " + _("The council departs from the result: %(what)s.", what=what)


def _updated(act) -> str:
    return _("%(who)s updated the follow-up of project %(number)s « %(title)s »: %(progress)s %% done, "
             "%(committed)s € committed, %(spent)s € spent.", who=act.who, number=act.get("number", ""),
             title=act.target, progress=act.get("progress", 0), committed=act.get("committed", 0),
             spent=act.get("spent", 0))


DECISION_SENTENCES = {
    "budget.decision.recorded": _decision,
    "budget.follow_up.updated": _updated,
    "budget.milestone.added": lambda a: _("%(who)s added the milestone « %(milestone)s » (%(date)s) to project "
                                          "« %(title)s ».", who=a.who, milestone=a.get("milestone", ""),
                                          date=_day(a.get("on")), title=a.target),
    "budget.milestone.done": lambda a: _("%(who)s marked the milestone « %(milestone)s » of project « %(title)s » "
                                         "done.", who=a.who, milestone=a.get("milestone", ""), title=a.target),
    "budget.milestone.reopened": lambda a: _("%(who)s marked the milestone « %(milestone)s » of project "
                                             "« %(title)s » not done.", who=a.who, milestone=a.get("milestone", ""),
                                             title=a.target),
    "budget.follow_up.imported": lambda a: ngettext(
        "%(who)s imported the follow-up of the budget « %(title)s »: %(num)d project changed.",
        "%(who)s imported the follow-up of the budget « %(title)s »: %(num)d projects changed.",
        int(a.get("count", 0)), who=a.who, title=a.target),
}


def sentences() -> dict:
    return {**SENTENCES, **DECISION_SENTENCES}
