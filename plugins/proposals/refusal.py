"""The one exception the plug-in's services raise when they refuse an action: the
participation services' own, so that a refusal from the core's comments or supports is
rendered by the same handler (see views.py)."""

from __future__ import annotations

from convergence.participation.refusal import Refused

__all__ = ["Refused"]
