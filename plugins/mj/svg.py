"""Geometry of the merit-profile chart, drawn by ``templates/mj/_merit_profile.html``.

Lengths along the bars are percentages of the chart's width (SVG accepts ``x="12.5%"``),
and heights are pixels: the chart fills any screen from 360 px up while its text keeps
its real size, which a scaled viewBox would shrink. No style attribute anywhere (CSP):
colours and positions are presentation attributes.

SVG text does not wrap, so each option takes two short lines above its bar, each sure to fit
the 328 px a 360 px phone leaves: its rank and name (cut at MAX_LABEL characters, the whole
name being in the ranking above the chart, the description and the table), then its majority
grade on its own line. The 50 % mark crosses each bar only, never the words.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .results import VoteResults

TOP = 24  # room for the "50 %" mark
NAME = 22  # the option's rank and name, 16 px
GRADE = 20  # its majority grade, 14 px
BAR = 30
GAP = 20
ROW = NAME + GRADE + BAR + GAP
OVERHANG = 5  # the 50 % mark passes the bar by this much above and below
# At 16 px a character of Atkinson Hyperlegible (or a system sans-serif) is at most ~9.5 px
# wide on average, so 32 characters stay within 328 px.
MAX_LABEL = 32


@dataclass
class Segment:
    grade: int
    label: str
    colour: str
    x: str
    width: str
    count: int
    percent: float


@dataclass
class Row:
    rank: int
    label: str
    short_label: str
    majority_label: str
    majority_text: str
    text_y: int
    grade_y: int
    bar_y: int
    mark_top: int
    mark_bottom: int
    segments: list[Segment]


@dataclass
class Chart:
    rows: list[Row]
    height: int
    bar_height: int
    title: str
    desc: str


def _pct(value: float) -> str:
    return f"{value:.3f}%"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def merit_profile(results: VoteResults) -> Chart:
    """One stacked bar per option, best grade on the left, in ranking order."""
    scale = results.scale
    colours = scale.colours
    rows, descriptions = [], []
    for index, ranked in enumerate(results.ranking):
        total = ranked.total or 1
        x, segments = 0.0, []
        for grade in range(scale.size - 1, -1, -1):
            count = ranked.tally[grade]
            share = 100 * count / total
            if count:
                segments.append(Segment(grade, scale.label(grade), colours[grade], _pct(x), _pct(share),
                                        count, share))
            x += share
        top = TOP + index * ROW
        bar_y = top + NAME + GRADE
        rows.append(Row(ranked.rank, ranked.option.label, _short(ranked.option.label), ranked.majority_label,
                        _("majority grade: %(grade)s", grade=ranked.majority_label),
                        text_y=top + NAME - 6, grade_y=top + NAME + GRADE - 6, bar_y=bar_y,
                        mark_top=bar_y - OVERHANG, mark_bottom=bar_y + BAR + OVERHANG, segments=segments))
        shares = ", ".join(f"{s.label} {s.percent:.0f} %" for s in segments)
        descriptions.append(_("%(rank)d. %(option)s: majority grade %(grade)s (%(shares)s).",
                              rank=ranked.rank, option=ranked.option.label, grade=ranked.majority_label,
                              shares=shares))
    desc = " ".join([_("For each option, the share of each grade, from the best on the left to the worst "
                       "on the right; the dashed line marks 50 %, where the majority grade is read.")]
                    + descriptions)
    return Chart(rows=rows, height=TOP + len(rows) * ROW - GAP + OVERHANG, bar_height=BAR, title=_("Merit profiles"),
                 desc=desc)
