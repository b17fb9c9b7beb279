"""What other plug-ins may call. Stable; everything else in this package is private.

- ``needs_for_commune(commune_id, **filters)`` → list of :class:`Need` (not merged),
  filters: ``category`` (code), ``neighbourhood`` (id), ``community`` (code),
  ``status``, ``limit`` (default 100).
- ``get_need(id)`` → the :class:`Need` or None; a merged need resolves to the one it
  was merged into.

A need takes part in the core's participation services through ``need.subject_id``: to
say that an item answers a need, link the two subjects with
:func:`convergence.participation.links.link` (the item's subject first); both pages then
list each other, named through the ``subject-label`` hook.
"""

from __future__ import annotations

from convergence.extensions import db
from convergence.web.inputs import whole_number

from .models import STATUSES, Category, Community, Need


def filtered_query(commune_id: int, *, category=None, neighbourhood=None, community=None, status=None):
    """The select of a commune's visible needs with the list's filters (shared by the pages)."""
    query = db.select(Need).where(Need.commune_id == commune_id, Need.merged_into_id.is_(None))
    if category:
        query = query.where(Need.category_id == db.select(Category.id).where(
            Category.commune_id == commune_id, Category.code == category).scalar_subquery())
    if community:
        query = query.where(Need.community_id == db.select(Community.id).where(
            Community.commune_id == commune_id, Community.code == community).scalar_subquery())
    if neighbourhood:
        query = query.where(Need.neighbourhood_id == whole_number(neighbourhood))
    if status in STATUSES:
        query = query.where(Need.status == status)
    return query


def needs_for_commune(commune_id: int, *, limit: int = 100, **filters) -> list[Need]:
    query = filtered_query(commune_id, **filters).order_by(Need.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def get_need(need_id: int) -> Need | None:
    need = db.session.get(Need, need_id)
    seen = set()
    while need is not None and need.merged_into_id is not None and need.id not in seen:
        seen.add(need.id)
        need = db.session.get(Need, need.merged_into_id)
    return need
