"""Hostile input in the timer's and the speaking time's number fields — NUL, numbers past
2^31, digits of other scripts, negative numbers: a 4xx with a French message, what was
typed kept, nothing written."""

from __future__ import annotations

import re

from markupsafe import escape

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from convergence.extensions import db
from convergence.models import SpaceSetting
from convergence.testing import browser_fields, visible_text

from .conftest import french, rows, switch

HOSTILE = st.one_of(
    st.sampled_from(["\x00", "12\x00", "2147483648", "99999999999999999999999", "-1", "-120",
                     "١٢٠", "１２０", "१२", "12.5", "1e3", " 7 7 "]),
    st.integers(min_value=2**31).map(str),
    st.integers(max_value=-1).map(str),
    st.text(st.characters(categories=("Nd",)), min_size=1, max_size=6).filter(lambda t: not t.isascii()),
)
def _gate_words() -> str:
    from flask_babel import force_locale

    from convergence.web.inputs import REFUSED_CONTROL

    with force_locale("fr"):
        return " ".join(str(REFUSED_CONTROL).split())


RELAXED = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _tools_post(client, url, field, typed):
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="facilitation-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    sent = {"speaking_seconds": "120", "first_time": "item", "lists": "off", "list_names": "",
            "list_budget_seconds": "0", field: typed}
    return client.post(url, data={"section": "settings:facilitation", "facilitation-csrf_token": token,
                                  **{f"facilitation-{key}": value for key, value in sent.items()}})


@RELAXED
@given(typed=HOSTILE, field=st.sampled_from(["speaking_seconds", "list_budget_seconds"]))
@example(typed="١٢٠", field="speaking_seconds")  # int() would read 120 from Arabic-Indic digits
def test_the_speaking_time_and_the_budget_refuse_hostile_numbers_in_french(client, make, meeting, typed, field):
    admin = make.user()
    make.role(admin, "admin", commune=meeting.commune)
    switch(client, admin)
    url = f"/assemblees/{meeting.assembly.id}/outils"
    refused = _tools_post(client, url, field, typed)
    assert 400 <= refused.status_code < 500
    html = refused.get_data(as_text=True)
    text = " ".join(visible_text(refused).split())
    if "\x00" in typed:  # refused at the door, before any page: the gate's words
        assert refused.status_code == 400 and _gate_words() in text
    elif re.fullmatch(r"-?[0-9]{1,18}", typed.strip()):  # a number out of the bounds, said in their words
        high = {"speaking_seconds": "3 600", "list_budget_seconds": "36 000"}[field]
        assert french("Give a whole number from %(low)s to %(high)s.", low="0", high=high) in text
    else:
        assert french("Type a whole number with the digits 0 to 9.") in text
    if "\x00" not in typed:  # the gate refuses a NUL before the page: nothing to keep
        assert str(escape(typed.strip() if typed.strip() else typed)) in html  # what was typed is kept
    assert db.session.scalar(db.select(db.func.count()).select_from(SpaceSetting)) == 0


@RELAXED
@given(typed=HOSTILE)
def test_giving_the_floor_refuses_a_hostile_request_number_and_nobody_speaks(client, meeting, typed):
    from plugins.facilitation import speakers

    if not rows():
        speakers.ask(meeting.assembly, meeting.item, meeting.people[0], "intervention", None)
        db.session.commit()
    switch(client, meeting.facilitator)
    url = f"/assemblees/{meeting.assembly.id}/ordre-du-jour/{meeting.item.id}/parole/donner"
    answer = client.post(url, data={"request_id": typed, **browser_fields(client, meeting.console)})
    assert answer.status_code == 400
    words = _gate_words() if "\x00" in typed else french("Unknown request to speak.")
    assert words in " ".join(visible_text(answer).split())
    assert [r.state for r in rows()] == ["waiting"]
