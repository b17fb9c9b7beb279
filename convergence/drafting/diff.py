"""Word-level differences between two versions of a text (plain Python, no Flask).

Texts are compared line by line first, then word by word inside the lines that changed:
the result reads like a track-changes view, and the cost stays close to linear for long
texts where a single word-level pass over everything would not.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import NamedTuple

EQUAL, DELETE, INSERT = "equal", "delete", "insert"

# Words (letters, digits, apostrophes inside words), runs of spaces, and single signs.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|\s+|[^\w\s]", re.UNICODE)


class Piece(NamedTuple):
    op: str
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _merge(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].op == piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _word_diff(old: str, new: str) -> list[Piece]:
    a, b = tokens(old), tokens(new)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece(EQUAL, "".join(a[i1:i2])))
        else:
            pieces.append(Piece(DELETE, "".join(a[i1:i2])))
            pieces.append(Piece(INSERT, "".join(b[j1:j2])))
    return _coalesce(pieces)


def _coalesce(pieces: list[Piece]) -> list[Piece]:
    """Changes separated only by spaces read as one: « au centre » → « près de la gare »,
    not four interleaved fragments."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        if pieces[i].op == EQUAL:
            out.append(pieces[i])
            i += 1
            continue
        old, new = [], []
        while i < len(pieces):
            piece = pieces[i]
            if piece.op == EQUAL:
                bridge = not piece.text.strip() and any(p.op != EQUAL and p.text for p in pieces[i + 1:i + 3])
                if not bridge:
                    break
                old.append(piece.text)
                new.append(piece.text)
            else:
                (old if piece.op == DELETE else new).append(piece.text)
            i += 1
        out += [Piece(DELETE, "".join(old)), Piece(INSERT, "".join(new))]
    return out


def diff(old: str, new: str) -> list[Piece]:
    """Pieces whose EQUAL+DELETE texts rebuild ``old`` and EQUAL+INSERT texts rebuild ``new``."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    pieces: list[Piece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece(EQUAL, "".join(a[i1:i2])))
        elif op == "delete":
            pieces.append(Piece(DELETE, "".join(a[i1:i2])))
        elif op == "insert":
            pieces.append(Piece(INSERT, "".join(b[j1:j2])))
        else:
            pieces.extend(_word_diff("".join(a[i1:i2]), "".join(b[j1:j2])))
    return _merge(pieces)


def rebuild(pieces: list[Piece]) -> tuple[str, str]:
    """(old, new) as rebuilt from the pieces: what the tests check."""
    old = "".join(p.text for p in pieces if p.op != INSERT)
    new = "".join(p.text for p in pieces if p.op != DELETE)
    return old, new


def changed_words(pieces: list[Piece]) -> tuple[int, int]:
    """(words removed, words added): the summary shown next to a version."""
    removed = sum(len(re.findall(r"\w+", p.text)) for p in pieces if p.op == DELETE)
    added = sum(len(re.findall(r"\w+", p.text)) for p in pieces if p.op == INSERT)
    return removed, added
