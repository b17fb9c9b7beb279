"""Who may do what with majority-judgment votes. Imported by the plug-in's ``init()``.

Results visibility is not a rule on purpose: ``can()`` lets site administrators do
everything, and nobody, administrators included, sees results before the close
unless the vote says so (see :func:`plugins.mj.status.results_visible`).
"""

from __future__ import annotations

from convergence.permissions import can, rule


def _facilitates(user, assembly) -> bool:
    return user is not None and can("assembly.facilitate", assembly, user=user)


@rule("mj.vote.create")
def _create(user, assembly) -> bool:
    return _facilitates(user, assembly)


@rule("mj.vote.manage")
def _manage(user, vote) -> bool:
    return _facilitates(user, vote.assembly)


@rule("mj.vote.cast")
def _cast(user, vote) -> bool:
    # Votes by code are decided by the code in the session, not by a role.
    if user is None or vote.voters != "members":
        return False
    return can("assembly.participate", vote.assembly, user=user)
