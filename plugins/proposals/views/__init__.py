"""The proposals' pages, by domain, in the core's one request flow
(convergence/web/handlers.py): ``base`` holds the blueprint and the two pages the others
build on (an assembly's proposals, one proposal); each module below adds the handlers of
one part of a proposal's life. Every action is a plain form (no JavaScript needed)."""

from __future__ import annotations

# Imported for their routes, registered on the blueprint as each module loads.
from . import discussion, proposals, rounds, votes, writing  # noqa: F401
from .base import bp

__all__ = ["bp"]
