"""Signatures on proposals (the core's supports, see convergence/participation/supports.py)
and the assembly's threshold that puts a proposal on its agenda."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.extensions import db
from convergence.assemblies import agenda
from convergence.models import AgendaItem
from convergence.participation import supports
from convergence.participation.refusal import AlreadySet
from convergence.refusal import Refused
from convergence.space_settings import settings_of, write_settings
from convergence.web.inputs import whole_number
from convergence.web.links import absolute_url

from . import drafting
from .models import DISCUSSION, SUBMITTED, TO_ASSEMBLY, Proposal

DEFAULT_THRESHOLD, THRESHOLD_LOW, THRESHOLD_HIGH = 10, 1, 100_000
AGENDA_KIND = "proposition"

__all__ = ["AlreadySet", "add", "has_supported", "put_on_agenda", "set_threshold", "threshold", "withdraw"]


def threshold(assembly) -> int:
    """The assembly's support threshold: a setting of the plug-in in the assembly's space
    (plugin.py declares it; also on the assembly's « Outils » page)."""
    return settings_of(assembly, "proposals")["support_threshold"]


def set_threshold(assembly, raw) -> int:
    value = whole_number(raw, low=THRESHOLD_LOW, high=THRESHOLD_HIGH)
    if value is None:
        raise Refused(_("The threshold is a whole number from 1 to 100,000."))
    write_settings(assembly, "proposals", {"support_threshold": value})
    return value


def has_supported(proposal: Proposal, user) -> bool:
    return supports.has_supported(proposal.subject_id, user)


def add(proposal: Proposal, user) -> bool:
    """Count a support; True when it made the proposal reach the threshold (then on the
    agenda): the core tells exactly one support, even among simultaneous ones."""
    counted = supports.add(proposal.subject_id, user, threshold=threshold(proposal.assembly),
                           already=_("You already support this proposal."))
    if counted.reached and proposal.agenda_item_id is None:
        put_on_agenda(proposal, None, reason=_("Support threshold reached (%(n)d supports).", n=counted.count))
        return True
    return False


def withdraw(proposal: Proposal, user) -> None:
    supports.withdraw(proposal.subject_id, user, not_supported=_("You do not support this proposal."))


def put_on_agenda(proposal: Proposal, user, *, reason: str = "") -> AgendaItem:
    """Add the proposal to its assembly's agenda (once) and submit it to the assembly."""
    if proposal.agenda_item_id is not None:
        raise Refused(_("This proposal is already on the agenda."), 409)
    item = agenda.append_item(proposal.assembly_id, kind=AGENDA_KIND, title=proposal.title[:200],
                              description=absolute_url("proposals.show", proposal_id=proposal.id))
    db.session.flush()
    proposal.agenda_item_id = item.id
    if proposal.status == DISCUSSION:
        proposal.submitted_to = TO_ASSEMBLY
        drafting.record_status(proposal, SUBMITTED, user, reason)
    return item
