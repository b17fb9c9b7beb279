"""What other plug-ins may call. Stable; everything else in this package is private.

- ``needs_for_commune(commune_id, **filters)`` → list of :class:`Need` (not merged),
  filters: ``category`` (code), ``neighbourhood`` (id), ``community`` (code),
  ``status``, ``limit`` (default 100).
- ``get_need(id)`` → the :class:`Need` or None; a merged need resolves to the one it
  was merged into.
- ``link_need(need, plugin, item_id, label, url)`` → :class:`NeedLink`; linking the
  same item twice updates label and url. The caller commits.
- ``links_for_item(plugin, item_id)`` → list of (NeedLink, Need) pairs, so that a
  proposal or a project shows the needs it answers, and the need page shows them back.
"""

from __future__ import annotations

from convergence.extensions import db
from convergence.web.inputs import whole_number

from .models import STATUSES, Category, Community, Need, NeedLink


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


def link_need(need: Need, plugin: str, item_id, label: str, url: str) -> NeedLink:
    item_id = str(item_id)
    link = db.session.scalar(db.select(NeedLink).where(
        NeedLink.need_id == need.id, NeedLink.plugin == plugin, NeedLink.item_id == item_id))
    if link is None:
        link = NeedLink(need_id=need.id, plugin=plugin, item_id=item_id)
        db.session.add(link)
    link.label, link.url = label[:200], url[:500]
    return link


def links_for_item(plugin: str, item_id) -> list[tuple[NeedLink, Need]]:
    rows = db.session.execute(
        db.select(NeedLink, Need).join(Need, Need.id == NeedLink.need_id)
        .where(NeedLink.plugin == plugin, NeedLink.item_id == str(item_id)).order_by(NeedLink.id)
    ).all()
    return [(link, need) for link, need in rows]
