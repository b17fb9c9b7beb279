"""The accounts' blueprint: its routes are declared on their handlers (controllers.py,
erasure_views.py)."""

from . import erasure_views
from .controllers import bp

erasure_views.register_own_erasure(bp)

__all__ = ["bp"]
