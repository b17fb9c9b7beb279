"""The plug-in raises the core's refusal (its services and the core's drafting and consent
services refuse the same way, and its pages render them the same way)."""

from __future__ import annotations

from convergence.refusal import Refused

__all__ = ["Refused"]
