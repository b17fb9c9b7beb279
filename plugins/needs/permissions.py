"""Who may do what with needs. Imported by the plug-in's ``init()``.

Targets are communes (reporting, facilitating) or needs (supporting, commenting)."""

from __future__ import annotations

from convergence.permissions import can, rule


@rule("needs.report")
def _report(user, commune) -> bool:
    return user is not None and can("commune.member", commune, user=user)


@rule("needs.support", membership_only=True)
def _support(user, need) -> bool:
    return user is not None and need.merged_into_id is None and can("commune.member", need.commune, user=user)


@rule("needs.comment")
def _comment(user, need) -> bool:
    # A merged need lives on in the one it was merged into: comments go there.
    return user is not None and need.merged_into_id is None and can("commune.member", need.commune, user=user)


@rule("needs.facilitate")
def _facilitate(user, commune) -> bool:
    return user is not None and can("commune.facilitate", commune, user=user)
