"""French punctuation spacing, as the house rule has it: a narrow no-break space (U+202F)
before « : ; ! ? » and inside « guillemets ».

Pure text rules, used by the catalog's test (every msgstr of the compiled French catalog)
and by ``translations/french_typography.py``, which puts the spaces in the catalog after
each ``make translations-update`` — so a merge that brings back a plain space is mended by
the next update. What is not prose punctuation is left alone: an address (``https://``,
``?next=``), a time (``14:30``), an HTML entity (``&amp;``), a format placeholder's inside
(``%(n)s``, ``{0:>3}``).
"""

from __future__ import annotations

import re

NNBSP = "\u202f"
SIGNS = ":;!?"
# Spaces a writer (or a keyboard) puts where the narrow no-break space belongs.
_SPACES = " \u00a0\u2009\u2007\t"
_ENTITY = re.compile(r"&#?\w+;")
_PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|\{[^{}]*\}")


def _shielded(text: str) -> set[int]:
    """Positions inside an entity or a placeholder: never punctuation."""
    hidden: set[int] = set()
    for pattern in (_ENTITY, _PLACEHOLDER):
        for match in pattern.finditer(text):
            hidden.update(range(match.start(), match.end()))
    return hidden


def _is_prose_sign(text: str, i: int) -> bool:
    # In a sentence the sign is followed by a space, the end, a line break or closing
    # punctuation; followed by a letter, a digit, « / », « = » or a placeholder, it belongs
    # to an address, a time or code (``%(host)s:%(port)d``).
    following = text[i + 1:i + 2]
    return not following or not (following.isalnum() or following in "/=\\_-.%{")


def faults(text: str) -> list[int]:
    """Positions of the signs (and guillemets) lacking their narrow no-break space."""
    hidden = _shielded(text)
    found = []
    for i, char in enumerate(text):
        if i in hidden:
            continue
        if char in SIGNS and _is_prose_sign(text, i):
            previous = text[i - 1] if i else ""
            # « ?! »: the second sign leans on the first.
            if previous != NNBSP and not (previous and previous in SIGNS):
                found.append(i)
        elif char == "«" and text[i + 1:i + 2] != NNBSP:
            found.append(i)
        elif char == "»" and text[i - 1:i] != NNBSP:
            found.append(i)
    return found


def fix(text: str) -> str:
    """``text`` with a narrow no-break space wherever :func:`faults` finds one missing:
    the plain (or no-break) spaces there are replaced, or the narrow space put in."""
    for i in reversed(faults(text)):
        if text[i] == "«":
            end = i + 1
            while end < len(text) and text[end] in _SPACES:
                end += 1
            text = text[:i + 1] + NNBSP + text[end:]
        else:
            start = i
            while start and text[start - 1] in _SPACES:
                start -= 1
            text = text[:start] + NNBSP + text[i:]
    return text
