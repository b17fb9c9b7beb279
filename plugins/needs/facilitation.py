"""What a commune's facilitators do with a need: its status (with its history), the
circle in charge, a duplicate merged into the need it repeats. Nothing here commits nor
journals (the pages do); each check raises the core's Refused before anything is written."""

from __future__ import annotations

from flask_babel import gettext as _

from convergence.participation import comments, history, supports
from convergence.refusal import Refused, clean_reason

from .models import COMMENT_MAX, STATUSES


def status_reason(status: str, reason) -> str:
    """The reason of a status change, stripped; a need « not retained » must say why."""
    if status not in STATUSES:
        raise Refused(_("Unknown status."))
    return clean_reason(reason, required=status == "not_retained", limit=COMMENT_MAX,
                        what=_("Say why the need is not retained."))


def set_status(need, status: str, reason, user) -> None:
    reason = status_reason(status, reason)
    history.record(need.subject_id, need.status, status, user, reason)
    need.status, need.status_reason = status, reason


def put_in_charge(need, circle) -> None:
    """The circle in charge of the need (one of its commune's), or None."""
    need.circle_id = circle.id if circle is not None else None


def check_merge(duplicate, target) -> None:
    if target is None or duplicate.id == target.id or target.commune_id != duplicate.commune_id:
        raise Refused(_("Choose another need of the same commune."))
    if target.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise Refused(_("This need has already been merged."))


def merge(duplicate, target, user) -> None:
    """Merge ``duplicate`` into ``target``: supports (once per person) and comments move,
    the duplicate keeps its history and redirects to the target."""
    check_merge(duplicate, target)
    supports.move(duplicate.subject_id, target.subject_id)
    comments.move(duplicate.subject_id, target.subject_id)
    history.record(duplicate.subject_id, duplicate.status, duplicate.status, user,
                   _("Merged into need #%(id)d.", id=target.id))
    duplicate.merged_into_id = target.id
