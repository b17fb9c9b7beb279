"""The room display: a full-screen page for the projector, without the site's header, in
type large enough for the back of a hall — the current item, who speaks and the countdown,
the next three, the QR code to join, and what the plug-ins say is open on the item (hook
``room-display``: a vote, a consent round). Right at load without JavaScript; with it, the
live channel refreshes it and the countdown runs."""

from __future__ import annotations

from flask import render_template

from convergence import hooks
from convergence.invitations.queries import usable_invitation
from convergence.permissions import can
from convergence.web.handlers import route

from . import item_rounds
from .board import board_of, kind_label
from .views import AssemblyHandler, bp


@route(bp, "/assemblees/<int:assembly_id>/salle", "room")
class Room(AssemblyHandler):
    permission = "assembly.view"

    def get(self):
        item = self.current_item
        board = board_of(self.assembly, item) if item is not None else None
        # The invitation link lets people in: shown only on the facilitation's screen, as the
        # core's projector page does.
        invitation = usable_invitation(self.assembly) if can("assembly.facilitate", self.assembly) else None
        panels = hooks.collect("room-display", assembly=self.assembly, item=item) if item else []
        return render_template("facilitation/room.html", assembly=self.assembly, item=item, board=board,
                               invitation=invitation, panels=panels, kind_label=kind_label,
                               **item_rounds.display(item))
