"""Who may do what with participatory budgets. Imported by the plug-in's ``init()``.

Each branch of the plug-in adds its rules in its own block below.
"""

from __future__ import annotations

from convergence.permissions import can, rule


# -- results, exports and the .pb import (pb-results) ------------------------------------------
# The results page is public (what it shows before publication is only the state of the
# count, see views/results.py); computing again, publishing and importing a .pb file are the
# facilitators' (the space's facilitators, and the commune's for an assembly or circle).

@rule("budget.results.view")
def _results_view(_user, _process) -> bool:
    return True


@rule("budget.results.manage")
def _results_manage(user, process) -> bool:
    return user is not None and can("space.facilitate", process.space, user=user)


@rule("budget.import")
def _import(user, process) -> bool:
    return user is not None and can("space.facilitate", process.space, user=user)
