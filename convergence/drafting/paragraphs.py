"""A Markdown text's paragraphs, as amendments address them (plain Python, no Flask).

Paragraphs are separated by blank lines and numbered from 0 in reading order: the number
is stable as long as the paragraphs before it stay, and an amendment also keeps the words
of its paragraph, so that it still finds it after a paragraph was added above.
"""

from __future__ import annotations

import re

_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (separated by blank lines), as amendments address them."""
    text = text.replace("\r\n", "\n").strip()
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()] if text else []


def replace_paragraph(text: str, index: int, new: str) -> str:
    parts = paragraphs(text)
    if not 0 <= index < len(parts):
        raise IndexError(index)
    parts[index] = new.strip()
    return "\n\n".join(p for p in parts if p)
