"""Supports (signatures) and the assembly's threshold that puts a proposal on its agenda."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from convergence.extensions import db
from convergence.assemblies import agenda
from convergence.models import AgendaItem
from convergence.space_settings import settings_of, write_settings
from convergence.web.inputs import whole_number
from convergence.web.links import absolute_url

from . import drafting
from .models import DISCUSSION, SUBMITTED, TO_ASSEMBLY, Proposal, Support
from .refusal import Refused

DEFAULT_THRESHOLD, THRESHOLD_LOW, THRESHOLD_HIGH = 10, 1, 100_000
AGENDA_KIND = "proposition"


class AlreadySet(Refused):
    """The support is already as asked (a second press, a replay): nothing changes."""

    def __init__(self, message: str):
        super().__init__(message, 409)


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
    return db.session.scalar(db.select(Support.id).where(Support.proposal_id == proposal.id,
                                                         Support.user_id == user.id)) is not None


def add(proposal: Proposal, user) -> bool:
    """Count a support; True when it made the proposal reach the threshold (then on the agenda).

    The unique constraint refuses a second support from the same person, even at the same
    instant; the counter is raised in one UPDATE … RETURNING, so exactly one request sees
    the threshold crossed."""
    if has_supported(proposal, user):
        raise AlreadySet(_("You already support this proposal."))
    db.session.add(Support(proposal_id=proposal.id, user_id=user.id))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise AlreadySet(_("You already support this proposal.")) from None
    count, agenda_item_id = db.session.execute(
        db.update(Proposal).where(Proposal.id == proposal.id)
        .values(supports_count=Proposal.supports_count + 1)
        .returning(Proposal.supports_count, Proposal.agenda_item_id)
        .execution_options(synchronize_session=False)
    ).one()
    db.session.expire(proposal, ["supports_count"])
    if count >= threshold(proposal.assembly) and agenda_item_id is None:
        put_on_agenda(proposal, None, reason=_("Support threshold reached (%(n)d supports).", n=count))
        return True
    return False


def withdraw(proposal: Proposal, user) -> None:
    deleted = db.session.execute(
        db.delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
        .execution_options(synchronize_session=False)).rowcount
    if not deleted:
        raise AlreadySet(_("You do not support this proposal."))
    db.session.execute(db.update(Proposal).where(Proposal.id == proposal.id)
                       .values(supports_count=Proposal.supports_count - 1)
                       .execution_options(synchronize_session=False))
    db.session.expire(proposal, ["supports_count"])


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

