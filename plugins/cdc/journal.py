"""The sentences that tell the plug-in's acts in the host commune's journal of decisions."""

from __future__ import annotations

from flask_babel import gettext as _


def _registered(act) -> str:
    if act.get("status") == "waiting":
        return _("%(who)s registered « %(name)s » to « %(meeting)s », on the waiting list.", who=act.who,
                 name=act.target, meeting=act.get("meeting", ""))
    return _("%(who)s registered « %(name)s » to « %(meeting)s ».", who=act.who, name=act.target,
             meeting=act.get("meeting", ""))


def _procedure_word(code: str) -> str:
    words = {"accept": _("accept it"), "accept_modified": _("accept it modified"), "reject": _("reject it")}
    return words.get(code, code)


def _procedure(act) -> str:
    if act.get("into"):
        return _("%(who)s proposed for the drafting committee to merge amendment %(n)s into A%(into)s.",
                 who=act.who, n=act.target, into=act.get("into"))
    return _("%(who)s proposed for the drafting committee a procedure on amendment %(n)s: %(procedure)s.",
             who=act.who, n=act.target, procedure=_procedure_word(act.get("procedure")))


def _answered(act) -> str:
    if act.get("answer") == "agreed":
        return _("%(who)s agreed, for the delegation, to the committee's procedure on amendment %(n)s.",
                 who=act.who, n=act.target)
    return _("%(who)s maintained amendment %(n)s for the delegation: it goes to the vote.", who=act.who,
             n=act.target)


def _contribution(act) -> str:
    if act.get("number"):
        return _("%(who)s tabled the proposal « %(name)s » adopted by %(commune)s as amendment A%(n)s to the "
                 "declaration of « %(meeting)s ».", who=act.who, name=act.target, commune=act.get("commune", ""),
                 n=act.get("number"), meeting=act.get("meeting", ""))
    return _("%(who)s sent the proposal « %(name)s » adopted by %(commune)s to the declaration of « %(meeting)s ».",
             who=act.who, name=act.target, commune=act.get("commune", ""), meeting=act.get("meeting", ""))


def _wording_closed(act) -> str:
    listed = ", ".join(act.get("amendments", []))
    if act.get("result") == "amendment":
        return _("The vote between the wordings %(list)s of « %(name)s » chose amendment %(winner)s; the others "
                 "are set aside.", list=listed, name=act.target, winner=act.get("winner", ""))
    if act.get("result") == "current":
        return _("The vote between the wordings %(list)s of « %(name)s » kept the current text; the amendments are "
                 "set aside.", list=listed, name=act.target)
    if act.get("result") == "unapplied":
        return _("The vote between the wordings %(list)s of « %(name)s » chose amendment %(winner)s, which could "
                 "not be applied: the committee decides.", list=listed, name=act.target, winner=act.get("winner", ""))
    return _("The vote between the wordings %(list)s of « %(name)s » put no single wording first: the committee "
             "decides.", list=listed, name=act.target)


# Every act of the plug-in the journal tells, by its action code.
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
    "cdc.floor.opened": lambda a: _("%(who)s opened the floor vote on « %(name)s » at « %(meeting)s ».",
                                    who=a.who, name=a.target, meeting=a.get("meeting", "")),
    "cdc.floor.closed": lambda a: _("%(who)s closed the floor vote on « %(name)s »: %(for)s for, %(against)s "
                                    "against, %(abstain)s abstaining.", who=a.who, name=a.target,
                                    **{"for": a.get("weight_for", 0), "against": a.get("weight_against", 0),
                                       "abstain": a.get("weight_abstain", 0)}),
    "cdc.declaration.adopted": lambda a: _("%(who)s recorded the adoption of « %(name)s » (version %(version)s, "
                                           "SHA-256 %(hash)s).", who=a.who, name=a.target,
                                           version=a.get("version", ""), hash=a.get("sha256", "")),
    "cdc.amendment.procedure": _procedure,
    "cdc.wording.opened": lambda a: _("%(who)s put the wordings %(list)s of « %(name)s » to a majority-judgment "
                                      "vote of the delegations.", who=a.who, list=", ".join(a.get("amendments", [])),
                                      name=a.target),
    "cdc.wording.closed": _wording_closed,
    "cdc.amendment.answered": _answered,
    "cdc.amendment.grouped": lambda a: _("%(who)s made amendments %(list)s mutually exclusive (group %(g)s).",
                                         who=a.who, list=", ".join(a.get("amendments", [])), g=a.get("group")),
    "cdc.amendment.ungrouped": lambda a: _("%(who)s dissolved the group %(g)s of exclusive amendments.",
                                           who=a.who, g=a.get("group")),
    "cdc.declaration.created": lambda a: _("%(who)s started the declaration « %(name)s » of « %(meeting)s ».",
                                           who=a.who, name=a.target, meeting=a.get("meeting", "")),
    "cdc.declaration.article_changed": lambda a: _("%(who)s changed article %(n)s of the declaration « %(name)s ».",
                                                   who=a.who, n=a.get("article", ""), name=a.target),
    "cdc.declaration.opened": lambda a: _("%(who)s opened the declaration « %(name)s » to amendments.",
                                          who=a.who, name=a.target),
    "cdc.declaration.tabled": lambda a: _("%(who)s tabled amendment A%(n)s to « %(name)s » for « %(delegation)s ».",
                                          who=a.who, n=a.get("number", ""), name=a.target,
                                          delegation=a.get("delegation", "")),
    "cdc.declaration.contribution": _contribution,
    "cdc.declaration.deadline_set": lambda a: (
        _("%(who)s set the deadline for amendments to « %(name)s »: %(date)s.", who=a.who, name=a.target,
          date=a.get("deadline")) if a.get("deadline")
        else _("%(who)s removed the deadline for amendments to « %(name)s ».", who=a.who, name=a.target)),
    "cdc.declaration.supported": lambda a: _("« %(delegation)s » supports amendment A%(n)s to « %(name)s ».",
                                             delegation=a.get("delegation", ""), n=a.get("number", ""),
                                             name=a.target),
}


def sentences() -> dict:
    return SENTENCES
