"""An invitation's space: the commune, assembly or circle it opens."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from ..extensions import db
from ..loaders import assembly_or_404, circle_or_404, commune_or_404
from ..models import Assembly, Circle, Commune, Invitation
from ..web.inputs import whole_number


@dataclass
class Space:
    kind: str  # "commune", "assembly" or "circle"
    obj: Commune | Assembly | Circle

    @property
    def name(self) -> str:
        return getattr(self.obj, "title", None) or self.obj.name

    @property
    def commune_id(self) -> int:
        return self.obj.id if self.kind == "commune" else self.obj.commune_id

    @property
    def url(self) -> str:
        if self.kind == "commune":
            return url_for("communes.show", slug=self.obj.slug)
        if self.kind == "assembly":
            return url_for("assemblies.show", assembly_id=self.obj.id)
        return url_for("circles.show", circle_id=self.obj.id)

    @property
    def manage_action(self) -> str:
        return {"commune": "commune.facilitate", "assembly": "assembly.facilitate",
                "circle": "circle.facilitate"}[self.kind]

    @property
    def default_role(self) -> str:
        return "member" if self.kind == "circle" else "resident"

    def foreign_key(self) -> dict:
        return {f"{self.kind}_id": self.obj.id}


def space_from_args(args) -> Space | None:
    if args.get("commune"):
        return Space("commune", commune_or_404(args["commune"]))
    for kind, loader in (("assembly", assembly_or_404), ("circle", circle_or_404)):
        raw = args.get(kind, "")
        if raw:
            number = whole_number(raw)
            if number is None:
                return None
            return Space(kind, loader(number))
    return None


def space_of(invitation: Invitation) -> Space:
    if invitation.commune_id:
        return Space("commune", db.session.get(Commune, invitation.commune_id))
    if invitation.assembly_id:
        return Space("assembly", assembly_or_404(invitation.assembly_id))
    return Space("circle", circle_or_404(invitation.circle_id))
