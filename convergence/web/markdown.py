"""Markdown rendered to HTML that cannot carry script: converted, then sanitised.

Residents' texts (needs, proposals, comments, amendments, notes) are drawn on every view, so
the converter must take time in proportion to the text, whatever is typed: markdown-it-py
(CommonMark) does, with nesting bounded. Python-Markdown, used before, did not: a block of
20,000 « ![ » took 78 s, 20,000 « <http://a » 45 s, and 500 nested list levels overflowed
Python's stack (a 500 on every view of that text). tests/core/test_markdown.py keeps those."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "s",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
#: Texts up to this size are kept rendered: many pages draw the same text on every view.
KEPT_MAX = 50_000

# CommonMark with tables and ~~strikethrough~~. Lists need no blank line before them, as
# people type. HTML typed in the text goes to the sanitiser, which keeps only the tags
# above and only http, https and mailto links: it is the one judge of what is safe. So
# markdown-it's own link check is off (a refused link would stay on the page as its source
# text, « javascript:… » included), and so are HTML blocks: a line opening with « <script> »
# would carry the Markdown after it through unread, where inline it is read like the rest.
_CONVERTER = (MarkdownIt("commonmark", {"html": True, "maxNesting": 20})
              .enable(["table", "strikethrough"]).disable("html_block"))
_CONVERTER.validateLink = lambda url: True


def render_markdown(text: str | None) -> Markup:
    text = str(text or "")
    if len(text) <= KEPT_MAX:
        return _kept(text)
    return _render(text)


@lru_cache(maxsize=512)
def _kept(text: str) -> Markup:
    return _render(text)


def _render(text: str) -> Markup:
    clean = nh3.clean(
        _CONVERTER.render(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
    return Markup(clean.rstrip("\n"))  # as before: no line break after the last block
