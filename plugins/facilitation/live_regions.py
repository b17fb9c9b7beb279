"""The shared state of a speaking list carried in its live event, so that phones do not
fetch the page on each change.

What every viewer of an item sees alike — who speaks and the timer, the waiting list, the
next three and whether the list is closed — is rendered once per change, by the request
that made it, right after its commit, with the macros the pages draw at load
(templates/facilitation/_shared.html), and goes out in the event (``regions``). live.js
swaps those parts in from the event; a phone on the list fetches only its « Your place »
(…/parole/ma-place), told by the ordered request ids and the speaker's id in the event.

A NOTIFY carries 8000 bytes at most: a long waiting list goes gzipped (``packed``), a
longer one is left out (the phones fetch the page as before, the room display still swaps
its parts), and if even that does not fit the event goes out as it did before, without
regions. Rendered in the locale of the request
that made the change: a page in another language fetches itself."""

from __future__ import annotations

import base64
import gzip
import logging
import re

from flask import current_app, has_request_context
from flask_babel import get_locale

from convergence import live
from convergence.extensions import db
from convergence.models import AgendaItem, Assembly

from .board import board_of, kind_label, why_text

log = logging.getLogger(__name__)
SHARED = "facilitation/_shared.html"
#: The part that grows with the list: the first left out when the event would be too big.
LONG_PART = "waiting"
_SPACES = re.compile(r"[ \t\r\n]+")  # ASCII only: the no-break spaces of French typography stay


def compact(html: str) -> str:
    """The HTML with each run of blanks made one space (the browser shows it the same)."""
    return _SPACES.sub(" ", str(html)).strip()


def key_of(item) -> str:
    """What ties a part of a page to the item it shows (``data-live-key``)."""
    return f"item-{item.id}"


def shared_regions(assembly, item, *, personal: bool = True) -> dict:
    """The parts every viewer of ``item`` sees alike, as the page draws them for someone
    not logged in; ``personal``: whether the change may move someone's own place."""
    board = board_of(assembly, item)
    macros = current_app.jinja_env.get_template(SHARED).module
    html = {"speaker": macros.speaker(board, item, kind_label),
            "waiting": macros.waiting(board, item, why_text, kind_label),
            "room-speaker": macros.room_speaker(board, item),
            "room-next": macros.room_next(board, item, kind_label)}
    return {"key": key_of(item), "lang": get_locale().language if get_locale() else "fr",
            "order": [entry.row.id for entry in board.waiting],
            "speaker": board.current.id if board.current is not None else None,
            "closed": board.closed, "personal": personal,
            "html": {name: compact(part) for name, part in html.items()}}


def with_regions(space, assembly_id: int, event: str, data: dict, *, personal: bool = True) -> dict:
    """``data`` with the item's shared regions, as much of them as one event carries."""
    if not has_request_context():  # a command or a task: no page language to render in
        return data
    try:
        assembly = db.session.get(Assembly, assembly_id)
        item = db.session.get(AgendaItem, data.get("item_id"))
        if assembly is None or item is None or item.assembly_id != assembly.id:
            return data
        regions = shared_regions(assembly, item, personal=personal)
    except Exception:  # the change is committed: its event still goes, pages fetch themselves
        log.exception("the shared regions of item %s could not be rendered for %s", data.get("item_id"), event)
        return data
    full = {**data, "regions": regions}
    if live.fits(space, event, full):
        return full
    rest = {k: v for k, v in regions["html"].items() if k != LONG_PART}
    packed = {**data, "regions": {**regions, "html": rest, "packed": {LONG_PART: pack(regions["html"][LONG_PART])}}}
    if live.fits(space, event, packed):
        return packed
    short = {**data, "regions": {**regions, "html": rest}}
    if live.fits(space, event, short):
        return short
    return data


def pack(html: str) -> str:
    """A long part gzipped and in base64: the same HTML in a sixth of the room (a list's
    entries repeat their markup); live.js opens it with the browser's DecompressionStream,
    and a browser without one fetches the page."""
    return base64.b64encode(gzip.compress(html.encode(), mtime=0)).decode("ascii")
