"""Whole euros in the reader's language, for the pages and the messages: the Flask side of
:func:`plugins.budget.amounts.format_euros` (« 20 624 € », "€20,624"). A budget's amounts
are whole euros, so the core's ``money`` filter, which writes cents, is not used here."""

from __future__ import annotations

from flask_babel import get_locale

from .amounts import format_euros


def euros(amount: int) -> str:
    return format_euros(amount, str(get_locale() or "fr"))
