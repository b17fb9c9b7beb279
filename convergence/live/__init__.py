"""The live channel: server-sent events per space (commune, assembly, thematic circle …),
fanned out across processes.

Publish with :func:`publish` ``(space, event, data)`` after the change is committed; every
page listening to that space's stream, in any worker process on any app server, receives it.
"""

from .broker import channel, fits, publish, subscribe

__all__ = ["channel", "fits", "publish", "subscribe"]
