"""Geometry of the merit-profile chart, drawn by ``templates/mj/_merit_profile.html``.

Lengths along the bars are percentages of the chart's width (SVG accepts ``x="12.5%"``),
and heights are pixels: the chart fills any screen from 360 px up while its text keeps
its real size, which a scaled viewBox would shrink. No style attribute anywhere (CSP):
colours and positions are presentation attributes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .results import VoteResults

TOP = 28  # room for the "50 %" mark
LABEL = 24  # option name line
BAR = 30
GAP = 18
ROW = LABEL + BAR + GAP
MAX_LABEL = 48


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
    text_y: int
    bar_y: int
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
        rows.append(Row(ranked.rank, ranked.option.label, _short(ranked.option.label), ranked.majority_label,
                        top + LABEL - 7, top + LABEL, segments))
        shares = ", ".join(f"{s.label} {s.percent:.0f} %" for s in segments)
        descriptions.append(_("%(rank)d. %(option)s: majority grade %(grade)s (%(shares)s).",
                              rank=ranked.rank, option=ranked.option.label, grade=ranked.majority_label,
                              shares=shares))
    desc = " ".join([_("For each option, the share of each grade, from the best on the left to the worst "
                       "on the right; the dashed line marks 50 %, where the majority grade is read.")]
                    + descriptions)
    return Chart(rows=rows, height=TOP + len(rows) * ROW, bar_height=BAR, title=_("Merit profiles"), desc=desc)
