"""The palette of docs/design.md is the sheet's, and every pair of colours the sheet puts
together passes WCAG AA: 4.5:1 for text, 3:1 for borders and the focus ring."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from convergence.styleguide.palette import COLOURS, PAIRS, contrast

SHEET = Path(__file__).resolve().parents[2] / "convergence" / "static" / "css" / "convergence.css"
DOC = Path(__file__).resolve().parents[2] / "docs" / "design.md"


def sheet_tokens() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\n\}", SHEET.read_text(encoding="utf-8"), re.S).group(1)
    return {name: value.lower() for name, value in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", root)}


def test_the_palette_is_the_sheets():
    tokens = sheet_tokens()
    for name, value in COLOURS.items():
        assert tokens.get(name) == value, f"--{name} in the sheet is {tokens.get(name)}, the palette says {value}"


@pytest.mark.parametrize("pair", PAIRS, ids=[f"{p.foreground}-on-{p.background}" for p in PAIRS])
def test_every_pair_passes_its_minimum(pair):
    assert pair.ratio >= pair.minimum, f"{pair.foreground} on {pair.background} ({pair.use}): {pair.ratio:.2f}:1"


def test_the_contrast_formula():
    # Figures of the WCAG definition: black on white is 21:1, a colour on itself 1:1, and
    # #767676 the lightest grey that reaches 4.5:1 on white.
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#17594a", "#17594a") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_the_style_guide_writes_the_same_ratios():
    doc = DOC.read_text(encoding="utf-8")
    for pair in PAIRS:
        assert f"| {pair.foreground} on {pair.background} | {pair.ratio:.2f}:1 |" in doc, pair
