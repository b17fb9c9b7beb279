"""Needs a proposal answers, through the needs plug-in's API when it is enabled; the
links themselves are the core's (convergence/participation/links.py)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from convergence.participation import links
from convergence.plugin_engine import enabled_plugins
from convergence.refusal import Refused
from convergence.web.inputs import whole_number



def available() -> bool:
    return "needs" in enabled_plugins()


def parse(commune_id: int, raw) -> list:
    """Needs named by their numbers (« 12, 45 » or « #12 #45 ») in the proposal's commune."""
    raw = (raw or "").strip()
    if not raw or not available():
        return []
    from plugins.needs import api

    numbers = re.findall(r"[0-9]+", raw)
    if len(numbers) > 20 or re.sub(r"[0-9\s,;#]", "", raw):
        raise Refused(_("Give the numbers of the needs, separated by commas (20 at most)."))
    needs = []
    for number in dict.fromkeys(numbers):
        value = whole_number(number)
        need = api.get_need(value) if value is not None else None
        if need is None or need.commune_id != commune_id:
            raise Refused(_("Need number %(n)s does not exist in this commune.", n=number))
        needs.append(need)
    return needs


def link(proposal, needs) -> None:
    for need in needs:
        links.link(proposal.subject_id, need.subject_id)


def linked_anywhere(proposal) -> list[links.Linked]:
    """Every item linked to the proposal, of any plug-in, named by its plug-in (none of a
    plug-in that is off): one read for the page's needs and the other plug-ins' items."""
    return links.linked(proposal.subject_id)
