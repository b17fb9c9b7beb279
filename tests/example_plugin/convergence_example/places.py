"""Where the example lives: a commune, an assembly or a circle, named by its URL.

The kind comes from the URL (each kind has its route), never from the object's class.
:func:`switched_on` asks the core's per-space features whether the plug-in is on there
(data, switched on the space's « Outils » page).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from convergence.loaders import assembly_or_404, circle_or_404, commune_or_404
from convergence.features import is_active

from .plugin import NAME

LOADERS = {"commune": commune_or_404, "assembly": assembly_or_404, "circle": circle_or_404}
# The core's rule saying who belongs to each kind of space.
MEMBER_RULES = {"commune": "commune.member", "assembly": "assembly.participate", "circle": "circle.member"}


@dataclass(frozen=True)
class Place:
    kind: str
    space: object

    @property
    def commune_id(self) -> int:
        return self.space.id if self.kind == "commune" else self.space.commune_id

    @property
    def name(self) -> str:
        return self.space.title if self.kind == "assembly" else self.space.name

    @property
    def columns(self) -> dict:
        """The greeting columns naming this place (a commune's own greetings have neither an
        assembly nor a circle)."""
        return {"commune_id": self.commune_id,
                "assembly_id": self.space.id if self.kind == "assembly" else None,
                "circle_id": self.space.id if self.kind == "circle" else None}

    @property
    def key(self) -> dict:
        return {"slug": self.space.slug} if self.kind == "commune" else {f"{self.kind}_id": self.space.id}

    def url(self, page: str = "page", **values) -> str:
        return url_for(f"example.{self.kind}_{page}", **self.key, **values)


def switched_on(place: Place) -> bool:
    return is_active(place.space, NAME)


def place_or_404(kind: str, key) -> Place:
    """The space the URL names, 404 when absent (the request flow then checks that the
    plug-in is switched on there)."""
    return Place(kind, LOADERS[kind](key))
