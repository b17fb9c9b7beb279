"""« Données ouvertes »: each commune, assembly and circle lists the data its plug-ins
publish (the ``exports`` hook), as links anyone may copy into their own tools."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import hooks
from ..web.links import absolute_url


def exports(kind: str, space) -> list[tuple[str, str]]:
    """(label, absolute URL) of what the core and the plug-ins publish for ``space``, a commune, an
    assembly or a circle as ``kind`` says; the plug-ins switched off there are left out
    (:func:`convergence.hooks.collect`)."""
    # The core's own first: a commune's journal of decisions, hash-chained (anyone may recompute it).
    core = [(_l("Journal of decisions, hash-chained (JSON)"), absolute_url("communes.journal_json", slug=space.slug))
            ] if kind == "commune" else []
    return core + hooks.collect("exports", space=space, target=space, kind=kind)
