"""What another plug-in may use of the example (the only module it may import)."""

from __future__ import annotations

from .greetings import of
from .places import Place


def latest_greetings(kind: str, space, limit: int = 5) -> list[tuple[str, str]]:
    """(author's name or "", message) of the latest greetings left in ``space``, a commune,
    an assembly or a circle as ``kind`` says."""
    return [(g.author.display_name if g.author else "", g.message) for g in of(Place(kind, space), limit)]
