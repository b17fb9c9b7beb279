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
    "cdc.floor.opened": lambda a: _("%(who)s opened the floor vote on « %(name)s » at « %(meeting)s ».",
                                    who=a.who, name=a.target, meeting=a.get("meeting", "")),
    "cdc.floor.closed": lambda a: _("%(who)s closed the floor vote on « %(name)s »: %(for)s for, %(against)s "
                                    "against, %(abstain)s abstaining.", who=a.who, name=a.target,
                                    **{"for": a.get("weight_for", 0), "against": a.get("weight_against", 0),
                                       "abstain": a.get("weight_abstain", 0)}),
    "cdc.declaration.adopted": lambda a: _("%(who)s recorded the adoption of « %(name)s » (version %(version)s, "
                                           "SHA-256 %(hash)s).", who=a.who, name=a.target,
                                           version=a.get("version", ""), hash=a.get("sha256", "")),
}


def sentences() -> dict:
    return SENTENCES
