"""The needs plug-in's acts in the commune's journal of decisions, told as sentences
(plugins/needs/journal.py) from the entries its pages write."""

from __future__ import annotations

import re

from tests.fixtures import browser_fields, login

NNBSP = "\u202f"


def _acts(page: str) -> list[str]:
    items = re.findall(r"<li data-action=\"needs[^\"]+\">(.*?)</li>", page, re.S)
    return [re.sub(r"<[^>]+>", "", item).replace(NNBSP, " ").replace("\xa0", " ").split(" — ", 1)[1].strip()
            for item in items]


def test_a_status_change_is_told_with_the_need_number_and_status(client, place):
    need = place.need()
    login(client, place.facilitator)
    url = f"{place.base}/{need.id}"
    assert client.post(url + "/statut", data={"status": "recognised", **browser_fields(client, url)}
                       ).status_code == 302
    acts = _acts(client.get(f"/communes/{place.commune.slug}/journal").data.decode())
    assert acts == [f"Facilitatrice a passé le besoin n° {need.id} au statut « Reconnu »."]
