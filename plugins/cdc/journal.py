"""The sentences that tell the plug-in's acts in the host commune's journal of decisions."""

from __future__ import annotations

from flask_babel import gettext as _


def _registered(act) -> str:
    if act.get("status") == "waiting":
        return _("%(who)s registered « %(name)s » to « %(meeting)s », on the waiting list.", who=act.who,
                 name=act.target, meeting=act.get("meeting", ""))
    return _("%(who)s registered « %(name)s » to « %(meeting)s ».", who=act.who, name=act.target,
             meeting=act.get("meeting", ""))


SENTENCES = {
    "cdc.meeting.created": lambda a: _("%(who)s prepared the meeting « %(meeting)s ».", who=a.who, meeting=a.target),
    "cdc.delegation.registered": _registered,
    "cdc.delegation.admitted": lambda a: _("%(who)s took « %(name)s » off the waiting list of « %(meeting)s ».",
                                           who=a.who, name=a.target, meeting=a.get("meeting", "")),
    "cdc.delegation.cancelled": lambda a: _("%(who)s cancelled the registration of « %(name)s » to « %(meeting)s ».",
                                            who=a.who, name=a.target, meeting=a.get("meeting", "")),
    "cdc.declaration.signed": lambda a: _("%(who)s signed the declaration of « %(meeting)s » for « %(name)s » "
                                          "(decision: %(reference)s).", who=a.who, name=a.target,
                                          meeting=a.get("meeting", ""), reference=a.get("reference", "")),
}


def sentences() -> dict:
    return SENTENCES
