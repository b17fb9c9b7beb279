"""« Données ouvertes »: each commune, assembly and circle lists the data its plug-ins
publish (the ``exports`` hook), as links anyone may copy into their own tools."""

from __future__ import annotations

from .. import hooks


def exports(kind: str, space) -> list[tuple[str, str]]:
    """(label, absolute URL) of what the plug-ins publish for ``space``, a commune, an
    assembly or a circle as ``kind`` says; the plug-ins switched off there are left out
    (:func:`convergence.hooks.collect`)."""
    return hooks.collect("exports", space=space, target=space, kind=kind)
