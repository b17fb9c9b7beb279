"""Reporting a need: by a resident on the report page, or many at once by the CSV import.
The fields are checked by forms.NeedForm (the same rules for both); nothing here commits."""

from __future__ import annotations

from convergence.extensions import db
from convergence.participation import history

from .models import Need


def new_need(commune, author=None, *, show_author: bool = False, **fields) -> Need:
    """A need (not yet added) with the checked ``fields`` (NeedForm.values())."""
    return Need(commune_id=commune.id, author_id=author.id if author else None, show_author=show_author,
                status="reported", **fields)


def record_reported(needs, by) -> None:
    """Add newly reported needs with the first entry of their status history."""
    db.session.add_all(needs)
    db.session.flush()
    for need in needs:
        history.record(need.subject_id, None, "reported", by)


def report(commune, author, *, show_author: bool = False, **fields) -> Need:
    """One need reported by ``author``, with its first status."""
    need = new_need(commune, author, show_author=show_author, **fields)
    record_reported([need], author)
    return need
