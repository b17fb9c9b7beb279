"""The merit-profile chart fits a 360 px phone whatever the options are called: SVG text does
not wrap, so each line it draws is short enough for the 328 px left (plugins/mj/svg.py), the
whole name stays in the ranking, and the majority grade has a line of its own."""

from __future__ import annotations

import re
from html import unescape

from convergence.extensions import db
from plugins.mj import api, ballots
from plugins.mj.svg import MAX_LABEL

from .conftest import new_vote, option_ids

LONG = ["Jardin partagé sur la friche de la gare, avec un poulailler collectif",
        "Parking de quarante places pour le marché du samedi matin",
        "Ne rien faire pour l'instant"]


def test_long_option_names_fit_and_every_majority_grade_shows(app, client, room):
    vote = new_vote(room, options=LONG)
    api.open_vote(vote)
    ids = option_ids(vote)
    for n, member in enumerate(room.members):
        ballots.cast(vote, {oid: (n + k) % 7 for k, oid in enumerate(ids)}, user_id=member.id)
    api.close_vote(vote)
    db.session.commit()

    page = client.get(f"/votes/{vote.id}/resultats").get_data(as_text=True)
    chart = page[page.index('<figure class="mj-chart">'):page.index("</figure>")]
    lines = [re.sub(r"<[^>]+>", "", unescape(t)).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", chart)]
    names = [line for line in lines if re.match(r"\d+\. ", line)]
    grades = [line for line in lines if line.startswith("mention majoritaire")]
    assert len(names) == 3 and len(grades) == 3, lines
    assert all(len(line) <= MAX_LABEL + 4 for line in names), names  # "1. " and the name cut at MAX_LABEL
    assert any(line.endswith("…") for line in names)
    for label in LONG:  # the whole name is still on the page, in the ranking
        assert label in unescape(page)
    # The 50 % mark crosses the bars, not the words: one short mark per row.
    assert chart.count('x1="50%"') == 3
