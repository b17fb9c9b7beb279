"""The room display: a full-screen page for the projector, without the site's header, in
type large enough for the back of a hall — the current item, who speaks and the countdown,
the next three, the QR code to join, and what the plug-ins say is open on the item (hook
``room-display``: a vote, a consent round). Right at load without JavaScript; with it, the
live channel refreshes it and the countdown runs."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, render_template

from convergence import hooks
from convergence.invitations.qr import qr_svg
from convergence.web.handlers import route
from convergence.web.links import absolute_url

from . import item_rounds
from .board import board_of, kind_label
from .views import AssemblyHandler, bp


def join_url(assembly) -> str:
    """Where the room's phones go: the speaking list of whatever item is current, a page
    anyone may read, so the code is shown to whoever opens the room display (the projector's
    laptop is often not logged in). From the configured public address, never from the
    request: that laptop may have opened the page as « localhost »."""
    return absolute_url("facilitation.current", assembly_id=assembly.id)


@route(bp, "/assemblees/<int:assembly_id>/salle", "room")
class Room(AssemblyHandler):
    permission = "assembly.view"

    def get(self):
        item = self.current_item
        board = board_of(self.assembly, item) if item is not None else None
        panels = hooks.collect("room-display", assembly=self.assembly, item=item) if item else []
        link = urlsplit(join_url(self.assembly))
        return render_template("facilitation/room.html", assembly=self.assembly, item=item, board=board,
                               panels=panels, kind_label=kind_label,
                               # Printed under the code for those who type it: no scheme to read out.
                               join_text=link.netloc + link.path, **item_rounds.display(item))


@route(bp, "/assemblees/<int:assembly_id>/salle/qr.svg", "room_qr")
class RoomQr(AssemblyHandler):
    permission = "assembly.view"

    def get(self):
        return Response(qr_svg(join_url(self.assembly)), mimetype="image/svg+xml")
