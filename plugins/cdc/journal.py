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
}


def sentences() -> dict:
    return SENTENCES

SENTENCES.update({
    "cdc.declaration.created": lambda a: _("%(who)s started the declaration « %(name)s » of « %(meeting)s ».",
                                           who=a.who, name=a.target, meeting=a.get("meeting", "")),
    "cdc.declaration.article_changed": lambda a: _("%(who)s changed article %(n)s of the declaration « %(name)s ».",
                                                   who=a.who, n=a.get("article", ""), name=a.target),
    "cdc.declaration.opened": lambda a: _("%(who)s opened the declaration « %(name)s » to amendments.",
                                          who=a.who, name=a.target),
    "cdc.declaration.tabled": lambda a: _("%(who)s tabled amendment A%(n)s to « %(name)s » for « %(delegation)s ».",
                                          who=a.who, n=a.get("number", ""), name=a.target,
                                          delegation=a.get("delegation", "")),
    "cdc.declaration.supported": lambda a: _("« %(delegation)s » supports amendment A%(n)s to « %(name)s ».",
                                             delegation=a.get("delegation", ""), n=a.get("number", ""),
                                             name=a.target),
})
