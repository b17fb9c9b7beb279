"""The « Outils » blueprint: its routes are declared on their handlers (controllers.py)."""

from .controllers import bp

__all__ = ["bp"]
