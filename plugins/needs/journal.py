"""The sentences that tell the needs plug-in's acts in the commune's journal of decisions
(the ``journal-sentences`` hook, convergence/journal.py). The entries name a need by its
number (``need:12``): the sentence says that number, without a query per entry."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext


def _number(target: str) -> str:
    # « need:12 », « assembly:3 »: the number after the kind.
    return target.rpartition(":")[2] or target


def _status(act) -> str:
    from .models import STATUS_LABELS

    status = act.get("status")
    return _("%(who)s set the need no. %(n)s to « %(status)s ».", who=act.who, n=_number(act.target),
             status=str(STATUS_LABELS.get(status, status)))


SENTENCES = {
    "needs.status": _status,
    "needs.merge": lambda a: _("%(who)s merged the need no. %(n)s, a duplicate, into the need no. %(into)s.",
                               who=a.who, n=_number(a.target), into=a.get("into")),
    "needs.agenda": lambda a: _("%(who)s put the synthesis of the needs on the agenda of the assembly "
                                "no. %(n)s.", who=a.who, n=_number(a.target)),
    "needs.import": lambda a: ngettext("%(who)s imported %(num)d need from a file.",
                                       "%(who)s imported %(num)d needs from a file.", int(a.get("count", 0)),
                                       who=a.who),
}


def sentences() -> dict:
    return SENTENCES
