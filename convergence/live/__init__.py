"""The live channel: server-sent events per assembly and per thematic circle, fanned out
across processes.

Publish with :func:`publish` (an assembly) or :func:`publish_circle` (a circle) after the
change is committed; every page listening to that stream, in any worker process on any app
server, receives it.
"""

from .broker import publish, publish_circle, subscribe, subscribe_circle

__all__ = ["publish", "publish_circle", "subscribe", "subscribe_circle"]
