"""Pages of the needs map, under /communes/<slug>/besoins, one module per part of the
plug-in; each handler runs the core's one request flow (convergence/web/handlers.py). Every
page works without JavaScript and runs a bounded number of queries whatever the number
of needs."""

from . import listing, lists, need, open_data, reporting, synthesis  # noqa: F401  (their routes)
from .base import bp  # noqa: F401
