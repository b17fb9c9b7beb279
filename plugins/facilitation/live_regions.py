"""The shared state of a speaking list carried in its live event, so that phones do not
fetch the page on each change.

What every viewer of an item sees alike — who speaks and the timer, the waiting list, the
next three and whether the list is closed — is rendered once per change, by the request
that made it, right after its commit, with the macros the pages draw at load
(templates/facilitation/_shared.html), and goes out in the event (``regions``). live.js
swaps those parts in from the event. A change that may move someone's place also carries
each waiting request's place as its own phone reads it (``places``: position and « why »
in the second person, keyed by request id, templates/facilitation/_place.html): a phone
still waiting swaps its own in and fetches nothing; one whose state changed kind (given
the floor, off the list) fetches its « Your place » (…/parole/ma-place).

A NOTIFY carries 8000 bytes at most: the parts that grow with the list (the waiting list,
the places) go gzipped (``packed``); longer, the places are left out (the phones on the
list fetch their place), then the waiting list too (the phones fetch the page as before,
the room display still swaps its parts); if even that does not fit the event goes out as
it did before, without regions. Rendered in the locale of the request that made the
change: a page in another language fetches itself."""

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
SHARED, PLACES = "facilitation/_shared.html", "facilitation/_place.html"
#: What goes packed (gzipped) and what is left out, tried in turn until the event fits: the
#: parts that grow with the list. The places give way first: packed, a browser without
#: DecompressionStream only has its phones on the list fetch their place, where a packed
#: waiting list makes every phone of that browser fetch its page; left out, the same.
FALLBACKS = ((("places",), ()), (("places", "waiting"), ()), (("waiting",), ("places",)), ((), ("places", "waiting")))
_SPACES = re.compile(r"[ \t\r\n]+")  # ASCII only: the no-break spaces of French typography stay


def compact(html: str) -> str:
    """The HTML with each run of blanks made one space (the browser shows it the same)."""
    return _SPACES.sub(" ", str(html)).strip()


def key_of(item) -> str:
    """What ties a part of a page to the item it shows (``data-live-key``)."""
    return f"item-{item.id}"


def shared_regions(assembly, item, *, personal: bool = True) -> dict:
    """The parts every viewer of ``item`` sees alike, as the page draws them for someone
    not logged in; ``personal``: whether the change may move someone's own place (then
    each waiting request's place as its phone reads it goes too, in ``places``)."""
    board = board_of(assembly, item)
    macros = current_app.jinja_env.get_template(SHARED).module
    html = {"speaker": macros.speaker(board, item, kind_label),
            "waiting": macros.waiting(board, item, why_text, kind_label),
            "room-speaker": macros.room_speaker(board, item),
            "room-next": macros.room_next(board, item, kind_label)}
    if personal:
        html["places"] = current_app.jinja_env.get_template(PLACES).module.places(board, why_text)
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
    html = regions["html"]
    for packed, omitted in FALLBACKS:
        packed = [name for name in packed if name in html]
        smaller = {**regions, "html": {k: v for k, v in html.items() if k not in packed and k not in omitted}}
        if packed:
            smaller["packed"] = {name: pack(html[name]) for name in packed}
        if live.fits(space, event, {**data, "regions": smaller}):
            return {**data, "regions": smaller}
    return data


def pack(html: str) -> str:
    """A long part gzipped and in base64: the same HTML in a sixth of the room (a list's
    entries repeat their markup); live.js opens it with the browser's DecompressionStream,
    and a browser without one fetches the page."""
    return base64.b64encode(gzip.compress(html.encode(), mtime=0)).decode("ascii")
