"""What other plug-ins (and the demo) may call. Stable; everything else in this package is private.

- ``needs_for_commune(commune_id, **filters)`` → list of :class:`Need` (not merged),
  filters: ``category`` (code), ``neighbourhood`` (id), ``community`` (code),
  ``status``, ``limit`` (default 100).
- ``get_need(id)`` → the :class:`Need` or None; a merged need resolves to the one it
  was merged into.
- For the demo, scripts and tests, which build needs outside a page (none commits
  except ``ensure_defaults``): ``ensure_defaults(commune)`` (the default lists),
  ``lists(commune)`` → (categories, communities, neighbourhoods), ``report(commune,
  author, **fields)`` / ``record_reported(needs, by)`` (new needs with their first
  status), ``add_support(need, user)``, ``add_comment(need, user, body)``,
  ``set_status(need, status, reason, user)``; ``STATUS_LABELS``.

A need takes part in the core's participation services through ``need.subject_id``: to
say that an item answers a need, link the two subjects with
:func:`convergence.participation.links.link` (the item's subject first); both pages then
list each other, named through the ``subject-label`` hook.
"""

from __future__ import annotations

from convergence.extensions import db

from .facilitation import set_status  # noqa: F401  (re-exported, as below)
from .listing import filtered_query
from .lists import ensure_defaults  # noqa: F401
from .lists import of as lists  # noqa: F401
from .models import STATUS_LABELS, Need  # noqa: F401
from .participation import add_comment, add_support  # noqa: F401
from .reporting import record_reported, report  # noqa: F401


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
