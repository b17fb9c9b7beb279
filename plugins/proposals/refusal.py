"""The one exception the plug-in's services raise when they refuse an action: the core's
(convergence/refusal.py), also raised by the core's drafting, consent and participation
services, so that every refusal is rendered by the same handler (see views.py)."""

from __future__ import annotations

from convergence.refusal import Refused

__all__ = ["Refused"]
