"""The live channel: server-sent events per assembly, fanned out across processes.

Publish with :func:`publish` after the change is committed; every page listening to the
assembly's stream, in any worker process on any app server, receives it.
"""

from .broker import publish, subscribe

__all__ = ["publish", "subscribe"]
