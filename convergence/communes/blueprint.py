"""The communes' blueprint: its routes are declared on their handlers (controllers.py)."""

from ..accounts.erasure_views import register_member_erasure
from .controllers import bp

register_member_erasure(bp)

__all__ = ["bp"]
