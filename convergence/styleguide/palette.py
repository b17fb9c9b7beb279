"""The palette of the design system and its contrast ratios (WCAG 2.1, relative luminance).

The colours are those of the ``:root`` tokens of ``static/css/convergence.css``; the test
tests/design/test_palette.py reads the sheet and fails if they drift apart, or if a pair
falls under its minimum: 4.5:1 for text (AA), 3:1 for what is not text (borders of
inputs, the focus ring: WCAG 1.4.11). Pure logic: no Flask import.
"""

from __future__ import annotations

from dataclasses import dataclass

COLOURS: dict[str, str] = {
    "ink": "#1c1b22",
    "muted": "#4f4c58",
    "paper": "#ffffff",
    "surface": "#f6f3ee",
    "line-strong": "#6d6a76",
    "primary": "#17594a",
    "primary-strong": "#0f4237",
    "primary-soft": "#e3f1ec",
    "accent": "#b23c12",
    "focus": "#1a56db",
    "ok": "#1b6234", "ok-soft": "#e4f3e8",
    "warn": "#6e4a00", "warn-soft": "#fff3d1",
    "info": "#1d4f9c", "info-soft": "#e6eefb",
    "bad": "#a4201a", "bad-soft": "#fdecea",
    "closed": "#45434d", "closed-soft": "#ececef",
}

TEXT, NON_TEXT = 4.5, 3.0


@dataclass(frozen=True)
class Pair:
    foreground: str
    background: str
    use: str
    minimum: float = TEXT

    @property
    def ratio(self) -> float:
        return contrast(COLOURS[self.foreground], COLOURS[self.background])


# Every pair of colours the sheet puts together, with what it is used for.
PAIRS: tuple[Pair, ...] = (
    Pair("ink", "paper", "body text"),
    Pair("ink", "surface", "text on the header, footer and soft panels"),
    Pair("muted", "paper", "secondary text"),
    Pair("muted", "surface", "secondary text in the footer"),
    Pair("primary", "paper", "links, secondary buttons, tabs"),
    Pair("paper", "primary", "primary buttons, the current tab"),
    Pair("paper", "primary-strong", "a primary button under the pointer"),
    Pair("primary", "surface", "links in the footer"),
    Pair("primary-strong", "primary-soft", "a secondary button under the pointer"),
    Pair("paper", "accent", "text on the accent"),
    Pair("ink", "warn-soft", "the current agenda item"),
    Pair("ok", "ok-soft", "badge « open », success message"),
    Pair("warn", "warn-soft", "badge « draft », warning"),
    Pair("info", "info-soft", "badge « info », explanations"),
    Pair("bad", "bad-soft", "badge « danger », errors"),
    Pair("bad", "paper", "field errors"),
    Pair("paper", "bad", "danger buttons"),
    Pair("closed", "closed-soft", "badge « closed »"),
    Pair("line-strong", "paper", "borders of inputs", NON_TEXT),
    Pair("focus", "paper", "focus ring", NON_TEXT),
    Pair("focus", "surface", "focus ring on soft panels", NON_TEXT),
)


def luminance(colour: str) -> float:
    """Relative luminance of an sRGB colour written #rrggbb."""
    value = colour.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
