"""A declaration's text as sections and numbered articles, read from and written to Markdown
(plain Python, no Flask).

Importing: every heading (``#`` to ``######``) opens a section; every paragraph under it
becomes an article, numbered from 1 in reading order. Paragraphs before the first heading
go in a section with no title (a preamble). A text with no heading is refused: the
committee would get one long section and nobody could tell the parts apart.

Rendering gives the Markdown the core drafting document keeps as its body (so that its
versions and diffs show the declaration as people read it): each section's heading, then
« **Article N.** wording ».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
SECTION_MAX = 200


class NoHeading(ValueError):
    """The Markdown has no heading, so no sections."""


class Empty(ValueError):
    """The Markdown has no paragraph to make an article of."""


@dataclass(frozen=True)
class Part:
    """One article as imported: its section's title and its wording."""

    section: str
    text: str


def parse(markdown: str) -> list[Part]:
    """The articles of a Markdown text, in reading order; :class:`NoHeading`, :class:`Empty`."""
    lines = (markdown or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parts: list[Part] = []
    section, paragraph, headings = "", [], 0

    def close_paragraph():
        text = "\n".join(paragraph).strip()
        if text:
            parts.append(Part(section, text))
        paragraph.clear()

    for line in lines:
        heading = _HEADING.match(line)
        # « Titre » underlined with === or --- is a heading too (a one-line paragraph above it).
        if heading is None and len(paragraph) == 1 and _SETEXT.match(line):
            title = paragraph.pop().strip()
            close_paragraph()
            section, headings = _section(title), headings + 1
            continue
        if heading is not None:
            close_paragraph()
            section, headings = _section(heading.group(2)), headings + 1
        elif line.strip():
            paragraph.append(line.rstrip())
        else:
            close_paragraph()
    close_paragraph()
    if headings == 0:
        raise NoHeading()
    if not parts:
        raise Empty()
    return parts


def _section(title: str) -> str:
    return " ".join(title.split())[:SECTION_MAX]


def render(articles) -> str:
    """The Markdown of ``articles`` (objects with ``number``, ``section``, ``text``, in order)."""
    out: list[str] = []
    section = None
    for article in articles:
        if article.section != section:
            section = article.section
            if section:
                out.append(f"## {section}")
        out.append(f"**Article {article.number}.** {article.text.strip()}")
    return "\n\n".join(out)


def sections(articles) -> list[tuple[str, list]]:
    """``articles`` grouped by consecutive section, for the pages."""
    groups: list[tuple[str, list]] = []
    for article in articles:
        if not groups or groups[-1][0] != article.section:
            groups.append((article.section, []))
        groups[-1][1].append(article)
    return groups
