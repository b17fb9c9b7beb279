"""The pages of participatory budgeting, by domain: one module each (processes, projects,
review, ballot, paper, results, decision, follow-up), all adding their routes to this one
blueprint and building on the handlers of ``base.py``."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("budget", __name__, template_folder="../templates", static_folder="../static",
               static_url_path="/budget/static")


@bp.app_template_filter("budget_euros")
def budget_euros(amount) -> str:
    """A budget's amount in whole euros, in the reader's language (« 20 624 € »)."""
    from ..money import euros

    return euros(amount)
