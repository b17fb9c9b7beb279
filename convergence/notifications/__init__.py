"""Mail when a vote or a consent round opens to a person — for those who asked for it.

The preference is opt-in (``notification_preferences``, changed on the page linked from the
profile, ``/compte/courriels``). Every mail carries a one-click link that turns it off,
signed for the person and working without logging in (:mod:`.unsubscribe`), built from
``PUBLIC_URL``.

What opens: a vote (the ``phase-changed`` signal, ``new == "open"``: opened by hand or by the
worker at its time) and a consent round (:func:`convergence.consent.rounds.start`). Each
defers :func:`.mails.mail_opening` after its commit (``convergence.tasks``); the task asks the
plug-ins through the hook ``opening-audience`` who it opens to (the core answers itself for
requests to join or leave a circle), and mails those who asked, once each
(``notification_sends`` is unique per person and opening, so a retry mails nobody twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Opening:
    """What just opened, as a plug-in describes it for the mail (hook ``opening-audience``)."""

    kind: str                  # "vote" or "consent": what the mail calls it
    title: str                 # typed by a person
    where: str                 # the assembly's or circle's name
    url: str                   # absolute (convergence.web.links.absolute_url)
    people: Any                # a select of user ids: who it opens to
    closes_at: datetime | None = None  # naive UTC


def init_app(app) -> None:
    from .. import hooks
    from .mails import on_phase_changed

    # A module-level receiver: connected once whatever the number of apps (blinker keeps one).
    hooks.phase_changed.connect(on_phase_changed)
