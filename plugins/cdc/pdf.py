"""The adopted declaration as a PDF (fpdf2, pure Python), with its signatories and the
fingerprint of the text. The typeface is the one the project ships (Atkinson Hyperlegible,
see convergence/assets.py), embedded so that French accents and « » print everywhere."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF

from convergence.assets import font_files

FAMILY = "Atkinson"
_STYLES = {"": "AtkinsonHyperlegible-Regular.ttf", "B": "AtkinsonHyperlegible-Bold.ttf",
           "I": "AtkinsonHyperlegible-Italic.ttf"}


def _with_fonts(document: FPDF) -> None:
    files = font_files()
    with tempfile.TemporaryDirectory() as folder:
        for style, name in _STYLES.items():
            path = Path(folder) / name
            path.write_bytes(files[name])
            document.add_font(FAMILY, style, str(path))


def _plain(text: str) -> str:
    # The articles are short Markdown paragraphs; the PDF shows their words, not the marks.
    return text.replace("**", "").replace("__", "").replace("\r\n", "\n")


def adopted_text(*, meeting, declaration, title: str, sections, signatures) -> bytes:
    document = FPDF(format="A4")
    document.set_title(title)
    document.set_margins(20, 20, 20)
    document.set_auto_page_break(True, margin=20)
    _with_fonts(document)
    document.add_page()
    width = document.epw
    document.set_font(FAMILY, "B", 18)
    document.multi_cell(width, 9, title, new_x="LMARGIN", new_y="NEXT")
    document.set_font(FAMILY, "I", 11)
    day = format_date(declaration.adopted_at) if declaration.adopted_at else ""
    document.multi_cell(width, 6, _("Adopted by the meeting « %(meeting)s » on %(day)s.",
                                    meeting=meeting.assembly.title, day=day), new_x="LMARGIN", new_y="NEXT")
    for section, articles in sections:
        if section:
            document.ln(4)
            document.set_font(FAMILY, "B", 14)
            document.multi_cell(width, 7, section, new_x="LMARGIN", new_y="NEXT")
        for article in articles:
            document.ln(2)
            document.set_font(FAMILY, "B", 11)
            document.multi_cell(width, 6, _("Article %(n)d", n=article.number), new_x="LMARGIN", new_y="NEXT")
            document.set_font(FAMILY, "", 11)
            document.multi_cell(width, 6, _plain(article.text), new_x="LMARGIN", new_y="NEXT")
    document.ln(6)
    document.set_font(FAMILY, "B", 14)
    document.multi_cell(width, 7, _("Signatories"), new_x="LMARGIN", new_y="NEXT")
    document.set_font(FAMILY, "", 11)
    if not signatures:
        document.multi_cell(width, 6, _("No collective has signed yet."), new_x="LMARGIN", new_y="NEXT")
    for signature in signatures:
        line = "{} — {}, {}".format(signature.collective_name,
                                    _("decision: %(reference)s", reference=signature.decision_reference),
                                    _("signed on %(day)s", day=format_date(signature.signed_at)))
        document.multi_cell(width, 6, line, new_x="LMARGIN", new_y="NEXT")
    document.ln(6)
    document.set_font(FAMILY, "I", 9)
    document.multi_cell(width, 5, _("Fingerprint of the adopted text (SHA-256, version %(version)s): %(hash)s",
                                    version=declaration.adopted_version, hash=declaration.adopted_hash),
                        new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())
