"""The needs plug-in's acts in the commune's journal of decisions, told as sentences
(plugins/needs/journal.py) from the entries its pages write."""

from __future__ import annotations

from tests.fixtures import browser_fields, journal_acts, login


def test_a_status_change_is_told_with_the_need_number_and_status(client, place):
    need = place.need()
    login(client, place.facilitator)
    url = f"{place.base}/{need.id}"
    assert client.post(url + "/statut", data={"status": "recognised", **browser_fields(client, url)}
                       ).status_code == 302
    assert journal_acts(client, place.commune, "needs.") == [f"Facilitatrice a passé le besoin n° {need.id} au statut « Reconnu »."]
