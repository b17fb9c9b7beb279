"""The journal of decisions told in sentences: « Camille Martin a activé l'outil
« Propositions » dans « Assemblée de janvier ». » rather than ``plugin.switched
plugin=proposals active=True``.

Each entry keeps its action code and details (convergence/audit.py); a sentence is made
from them as the page is drawn, in the reader's language. The core describes its own
actions here; each plug-in describes its own through the ``journal-sentences`` hook. An
action nobody describes (a plug-in since removed, an older code) is still shown readably:
its code, what it concerned and its details. Only what the entry holds is used, never a
query per entry: the page stays at a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import g
from flask_babel import gettext as _

from . import hooks


@dataclass(frozen=True)
class Act:
    """What a sentence is made from: ``who`` did it (a name, or « la plateforme »),
    ``target`` (what it concerned, as recorded), ``details`` (read with :meth:`get`: an
    older entry may lack a key)."""

    who: str
    target: str
    details: Mapping = field(default_factory=dict)

    def get(self, key: str, default=""):
        value = self.details.get(key)
        return default if value is None else value


Sentence = Callable[[Act], str]


def _role(code: str) -> str:
    from .circles.forms import CIRCLE_ROLE_CHOICES
    from .communes.forms import ROLE_CHOICES

    return str(dict(ROLE_CHOICES + CIRCLE_ROLE_CHOICES).get(code, code))


def _tool(name: str) -> str:
    from .plugin_engine import enabled_plugins

    plugin = enabled_plugins().get(name)
    return str(plugin.title) if plugin is not None and plugin.title else name


def _setting(plugin_name: str, key: str) -> str:
    from .plugin_engine import enabled_plugins

    plugin = enabled_plugins().get(plugin_name)
    for setting in getattr(plugin, "space_settings", ()):
        if setting.key == key:
            return str(setting.label)
    return key


def _circle_entry(act: Act) -> str:
    if act.get("round"):
        return _("%(person)s joined the circle « %(circle)s » as %(role)s, by consent of its members.",
                 person=act.get("person"), circle=act.target, role=_role(act.get("role", "member")))
    return _("%(who)s recorded the entry of %(person)s into the circle « %(circle)s » as %(role)s, decided "
             "in a meeting.", who=act.who, person=act.get("person"), circle=act.target,
             role=_role(act.get("role")))


def _circle_exit(act: Act) -> str:
    if act.get("own_will"):
        return _("%(person)s left the circle « %(circle)s » (role: %(role)s).", person=act.get("person"),
                 circle=act.target, role=_role(act.get("role", "member")))
    if act.get("round"):
        return _("The members of the circle « %(circle)s » decided by consent the exit of %(person)s "
                 "(role: %(role)s).", circle=act.target, person=act.get("person"),
                 role=_role(act.get("role", "member")))
    return _("%(who)s recorded the exit of %(person)s from the circle « %(circle)s » (role: %(role)s), "
             "decided in a meeting.", who=act.who, person=act.get("person"), circle=act.target,
             role=_role(act.get("role", "member")))


def _request_opened(act: Act) -> str:
    if act.get("request") == "exclusion":
        return _("%(who)s opened a consent round on the exit of %(person)s from the circle « %(circle)s ».",
                 who=act.who, person=act.get("person"), circle=act.target)
    return _("%(who)s opened a consent round on the entry of %(person)s into the circle « %(circle)s ».",
             who=act.who, person=act.get("person"), circle=act.target)


def _request_closed(act: Act) -> str:
    from .consent.rounds import OUTCOME_LABELS

    outcome = str(OUTCOME_LABELS.get(act.get("outcome"), act.get("outcome")))
    if act.get("request") == "exclusion":
        return _("The consent round on the exit of %(person)s from the circle « %(circle)s » closed. "
                 "%(outcome)s.", person=act.get("person"), circle=act.target, outcome=outcome)
    return _("The consent round on the entry of %(person)s into the circle « %(circle)s » closed. "
             "%(outcome)s.", person=act.get("person"), circle=act.target, outcome=outcome)


def _switched(act: Act) -> str:
    if act.get("active", False):
        return _("%(who)s switched on the tool « %(tool)s » in « %(space)s ».", who=act.who,
                 tool=_tool(act.get("plugin")), space=act.target)
    return _("%(who)s switched off the tool « %(tool)s » in « %(space)s ».", who=act.who,
             tool=_tool(act.get("plugin")), space=act.target)


def _setting_changed(act: Act) -> str:
    value = act.get("value")
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    return _("%(who)s set « %(setting)s » of the tool « %(tool)s » to %(value)s in « %(space)s ».",
             who=act.who, setting=_setting(act.get("plugin"), act.get("key")), tool=_tool(act.get("plugin")),
             value=value, space=act.target)


def _erased(act: Act) -> str:
    if act.get("contributions") == "deleted":
        return _("%(who)s erased an account on the person's request; their contributions were deleted.",
                 who=act.who)
    return _("%(who)s erased an account on the person's request; their contributions stay, signed "
             "« deleted account ».", who=act.who)


CORE_SENTENCES: dict[str, Sentence] = {
    "commune.created": lambda a: _("%(who)s created the commune « %(name)s ».", who=a.who, name=a.target),
    "commune.edited": lambda a: _("%(who)s edited the page of the commune « %(name)s ».", who=a.who,
                                  name=a.target),
    "assembly.created": lambda a: _("%(who)s created the assembly « %(name)s ».", who=a.who, name=a.target),
    "circle.created": lambda a: _("%(who)s created the thematic circle « %(name)s ».", who=a.who,
                                  name=a.target),
    "circle.edited": lambda a: _("%(who)s edited the circle « %(name)s ».", who=a.who, name=a.target),
    "circle.join": _circle_entry,
    "circle.leave": _circle_exit,
    "circle.request_opened": _request_opened,
    "circle.request_closed": _request_closed,
    # ``target`` is the person (« compte supprimé » once their account is erased).
    "role.given": lambda a: _("%(person)s accepted the role « %(role)s », offered by invitation.",
                              person=a.target, role=_role(a.get("role"))),
    "role.withdrawn": lambda a: _("%(who)s withdrew the role « %(role)s » from %(person)s.", who=a.who,
                                  role=_role(a.get("role")), person=a.target),
    # The journal is public: neither the address nor the name of the person invited.
    "role.offered": lambda a: _("%(who)s offered the role « %(role)s » to someone, by an invitation sent by "
                                "e-mail.", who=a.who, role=_role(a.get("role"))),
    "invitation.created": lambda a: _("%(who)s created an invitation to join « %(space)s ».", who=a.who,
                                      space=a.target),
    "invitation.revoked": lambda a: _("%(who)s withdrew an invitation to join « %(space)s ».", who=a.who,
                                      space=a.target),
    "plugin.switched": _switched,
    "setting.changed": _setting_changed,
    "account.erased": _erased,
}


def _sentences() -> dict[str, Sentence]:
    """The core's and every enabled plug-in's (asked once per request; a plug-in switched
    off somewhere still tells its past acts)."""
    if "_journal_sentences" not in g:
        known = dict(CORE_SENTENCES)
        for contribution in hooks.collect("journal-sentences"):
            known.update(contribution)
        g._journal_sentences = known
    return g._journal_sentences


def _unknown(action: str, act: Act) -> str:
    details = ", ".join(_("%(key)s: %(value)s", key=key, value=value)
                        for key, value in act.details.items() if key != "person_id")
    text = _("%(who)s: act « %(action)s »", who=act.who, action=action)
    if act.target:
        text += " — " + _("concerning « %(target)s »", target=act.target)
    return text + (f" ({details})" if details else "") + "."


def tell(entry) -> str:
    """The journal entry ``entry`` (an AuditEntry) as a sentence in the reader's language."""
    who = entry.actor.display_name if entry.actor is not None else _("The platform")
    act = Act(who=who, target=entry.target or "", details=dict(entry.details or {}))
    sentence = _sentences().get(entry.action)
    text = None
    if sentence is not None:
        try:
            text = sentence(act)
        except (KeyError, TypeError, ValueError):
            pass  # an entry older than its sentence: told as an unknown act rather than failing the page
    text = text or _unknown(entry.action, act)
    # A sentence starts with a capital, even when it starts with « compte supprimé ».
    return text[:1].upper() + text[1:]
