"""The room display as its own page: no site header, menu or footer around it, and the
join QR code for whoever opens it — logged in or not — pointing at the speaking list under
the configured public address, not at the address the projector's laptop used."""

from __future__ import annotations

import re

from convergence.invitations.qr import qr_svg
from convergence.testing import count_queries, visible_text

from .conftest import french

PUBLIC = "https://assemblee.example.fr"


def test_the_room_page_has_no_site_header_menu_or_footer(client, meeting):
    html = client.get(meeting.room).get_data(as_text=True)
    # The speaking list, a page of the same plug-in, has them: the markers are the right ones.
    around = client.get(meeting.list_url()).get_data(as_text=True)
    for marker in ('class="site-header"', 'class="site-footer"', "<nav", 'class="skip-link"', french("Main menu")):
        assert marker in around, marker
        assert marker not in html, marker
    assert "Accueil" in visible_text(client.get(meeting.room))


def test_anyone_opening_the_room_display_sees_the_join_code_of_the_public_address(app, client, meeting):
    app.config["PUBLIC_URL"] = PUBLIC
    response = client.get(meeting.room)  # nobody logged in: the projector's laptop
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    code = f"/assemblees/{meeting.assembly.id}/salle/qr.svg"
    assert re.search(rf'<img src="{re.escape(code)}" alt="{re.escape(french("QR code of the speaking list"))}"', html)
    # Printed under the code too, without the scheme, for those who type it.
    assert f"assemblee.example.fr/<wbr>assemblees/<wbr>{meeting.assembly.id}/<wbr>parole" in html

    image = client.get(code, headers={"Host": "localhost:5000"})
    assert image.status_code == 200 and image.mimetype == "image/svg+xml"
    # The very code of the public link to the speaking list, whatever Host the request named.
    with app.test_request_context():
        assert image.get_data(as_text=True) == qr_svg(f"{PUBLIC}/assemblees/{meeting.assembly.id}/parole")
    # The link leads somewhere anyone may read: the list of the item under way.
    followed = client.get(f"/assemblees/{meeting.assembly.id}/parole")
    assert followed.status_code == 302 and followed.location.endswith(f"/ordre-du-jour/{meeting.item.id}/parole")


def test_the_room_display_and_its_code_in_few_queries(app, client, meeting):
    # The page is 11 today (the board, the round, the plug-ins' panels); the code reads only
    # the assembly: no invitation is looked up any more.
    caps = {meeting.room: 14, f"/assemblees/{meeting.assembly.id}/salle/qr.svg": 3}
    for page, cap in caps.items():
        with count_queries(app) as statements:
            assert client.get(page).status_code == 200
        assert len(statements) <= cap, (page, len(statements))


def test_no_code_for_a_room_display_that_does_not_exist(client, meeting):
    assert client.get("/assemblees/999999/salle/qr.svg").status_code == 404
