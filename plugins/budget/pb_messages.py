"""The messages of the ``.pb`` reader (``pabulib.py``, plain Python, in English as the
command prints them) in the reader's language, for the import page. Each message of the
reader has a pattern here; the test ``test_pb_import.py`` feeds the reader every kind of
malformed file and checks that none comes out untranslated. A message without a pattern
(a new one in the reader) is shown as it is rather than lost."""

from __future__ import annotations

import re

from flask_babel import gettext as _

# (pattern of the English message, function of its groups giving the translated one)
_PATTERNS = [
    (r"(?P<what>.+) is not a number: (?P<text>.*)", lambda m: _("%(what)s is not a number: %(text)s",
                                                                   what=_what(m["what"]), text=m["text"])),
    (r"(?P<what>.+) is negative: (?P<text>.*)", lambda m: _("%(what)s is negative: %(text)s",
                                                               what=_what(m["what"]), text=m["text"])),
    (r"unreadable row \((?P<why>.*)\)", lambda m: _("unreadable row (%(why)s)", why=m["why"])),
    (r'a quote \(\"\) opened on this line is not closed on it',
     lambda m: _("a quote (\") opened on this line is not closed on it")),
    (r"section (?P<name>\w+) appears twice", lambda m: _("section %(name)s appears twice", name=m["name"])),
    (r"section (?P<name>\w+) where (?P<expected>\w+) was expected",
     lambda m: _("section %(name)s where %(expected)s was expected", name=m["name"], expected=m["expected"])),
    (r"the file must start with META", lambda m: _("the file must start with META")),
    (r"(?P<n>\d+) fields where the header has (?P<h>\d+)",
     lambda m: _("%(n)s fields where the header has %(h)s", n=m["n"], h=m["h"])),
    (r"a META key is empty", lambda m: _("a META key is empty")),
    (r"META key (?P<key>.+) appears twice", lambda m: _("META key %(key)s appears twice", key=m["key"])),
    (r"section (?P<name>\w+) is missing", lambda m: _("section %(name)s is missing", name=m["name"])),
    (r"section VOTES has no header", lambda m: _("section VOTES has no header")),
    (r"not UTF-8 text \((?P<why>.*)\)", lambda m: _("not UTF-8 text (%(why)s)", why=m["why"])),
    (r"a column appears twice in the header", lambda m: _("a column appears twice in the header")),
    (r"the META header must be key;value", lambda m: _("the META header must be key;value")),
    (r"the (?P<section>\w+) header has no (?P<column>\w+) column",
     lambda m: _("the %(section)s header has no %(column)s column", section=m["section"], column=m["column"])),
    (r"a project has no (?P<column>\w+)", lambda m: _("a project has no %(column)s", column=m["column"])),
    (r"a voter has no (?P<column>\w+)", lambda m: _("a voter has no %(column)s", column=m["column"])),
    (r"project (?P<id>.+) appears twice", lambda m: _("project %(id)s appears twice", id=m["id"])),
    (r"voter (?P<id>.+) appears twice", lambda m: _("voter %(id)s appears twice", id=m["id"])),
    (r"META has no (?P<key>\w+)", lambda m: _("META has no %(key)s", key=m["key"])),
    (r"unknown vote_type (?P<type>.+) \(one of (?P<known>.*)\)",
     lambda m: _("unknown vote_type %(type)s (one of %(known)s)", type=m["type"], known=m["known"])),
    (r"(?P<key>\w+) is not a whole number: (?P<text>.*)",
     lambda m: _("%(key)s is not a whole number: %(text)s", key=m["key"], text=m["text"])),
    (r"the file has no project", lambda m: _("the file has no project")),
    (r"(?P<type>\S+) votes need a points column", lambda m: _("%(type)s votes need a points column", type=m["type"])),
    (r"vote for project (?P<id>.+), which is not in PROJECTS",
     lambda m: _("vote for project %(id)s, which is not in PROJECTS", id=m["id"])),
    (r"a project appears twice in one vote", lambda m: _("a project appears twice in one vote")),
    (r"a choose-1 vote names more than one project", lambda m: _("a choose-1 vote names more than one project")),
    (r"(?P<n>\d+) projects but (?P<p>\d+) points", lambda m: _("%(n)s projects but %(p)s points", n=m["n"], p=m["p"])),
    (r"(?P<n>\d+) projects ranked where max_length is (?P<max>\d+)",
     lambda m: _("%(n)s projects ranked where max_length is %(max)s", n=m["n"], max=m["max"])),
]
_COMPILED = [(re.compile(pattern + r"\Z", re.S), build) for pattern, build in _PATTERNS]


def _what(english: str) -> str:
    """What a number was, as the reader names it."""
    cost = re.fullmatch(r"the cost of project (.+)", english)
    if cost:
        return _("the cost of project %(id)s", id=cost[1])
    names = {"budget": _("the budget"), "cost": _("the cost"), "points": _("the points")}
    return names.get(english, english)


def french(message: str) -> str:
    """The reader's message in the reader's language (the page's), or as it is."""
    for pattern, build in _COMPILED:
        match = pattern.match(message)
        if match:
            return build(match)
    return message


def translated(message: str) -> bool:
    return any(pattern.match(message) for pattern, _build in _COMPILED)
