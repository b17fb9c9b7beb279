"""Every signal and hook a plug-in may use, in one place.

Signals are blinker signals: the core sends them, plug-ins connect receivers in their
``init()``. Hooks are named extension points that return contributions; a plug-in fills
one with ``plugin.connect_hook(NAME, function)``. The core only ever calls
:func:`collect`, so it never needs to know which plug-ins exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from blinker import Namespace
from flask import current_app

_signals = Namespace()

# -- Signals -------------------------------------------------------------------------

app_created = _signals.signal("app-created")
"""Sent once the application is fully built. Sender: the Flask app. No return value."""

assembly_created = _signals.signal("assembly-created")
"""Sent after an assembly is committed. Sender: the Assembly. No return value."""

agenda_moved_on = _signals.signal("agenda-moved-on")
"""Sent when a facilitator sets the assembly's current agenda item.
Sender: the Assembly; ``item``: the AgendaItem or None. No return value."""

member_joined = _signals.signal("member-joined")
"""Sent when someone joins a space (by invitation or decision). Sender: the Membership."""

plugin_toggled = _signals.signal("plugin-toggled")
"""Sent when a plug-in is switched on or off in an assembly.
Sender: the Assembly; ``plugin``: its name; ``active``: bool."""

user_registered = _signals.signal("user-registered")
"""Sent after an account is created. Sender: the User."""

vote_closed = _signals.signal("vote-closed")
"""Sent once a vote is closed, after the commit that closed it (its register fixed).
Sender: the vote (the counting plug-in's model, e.g. ``plugins.mj`` ``Vote``);
``method``: the counting method's name (``"mj"``, ``"yes-no"``); ``result``: what the
method's tally gives (mj: ``VoteResults``); ``asked_by``: the reference the asking plug-in
gave when it asked for the vote — ``(plugin name, reference)``, e.g. ``("proposals",
"assembly:3")`` — or None for a vote created by hand; ``closed_by``: the User who closed it,
or None (a deadline). A receiver applies the result if ``asked_by`` names its plug-in, and
commits its own changes; the vote stays closed whatever it does. No return value."""

# -- Hooks ---------------------------------------------------------------------------
# name -> documentation. The function a plug-in connects receives the keyword arguments
# named here and returns the contribution described.
HOOKS: dict[str, tuple[tuple[str, ...], str]] = {
    "assembly-nav": (("assembly",), "→ list of (label, url) entries for the assembly's navigation."),
    "assembly-panels": (("assembly",), "→ list of Markup panels shown on the assembly page."),
    "commune-panels": (("commune",), "→ list of Markup panels shown on the commune page."),
    "circle-nav": (("circle",), "→ list of (label, url) entries for the circle's navigation."),
    "circle-panels": (("circle",), "→ list of Markup panels shown on the circle page."),
    "agenda-item-kinds": ((), "→ list of (code, label) kinds an agenda item may have."),
    "exports": (("space", "kind"),
                "→ list of (label, url) data exports of the space, listed on its « Données ouvertes » page: "
                "``kind`` is \"commune\", \"assembly\" or \"circle\" and ``space`` the Commune, Assembly or "
                "Circle (choose by ``kind``, never by the object's class). ``url`` is absolute, from "
                "``convergence.web.links.absolute_url``: people copy it into their own tools. In an assembly, "
                "plug-ins switched off there are not asked."),
    "user-data": (("user",), "→ dict merged into the person's data export (GDPR access right)."),
    "live-events": ((), "→ list of (event name, description) the plug-in publishes."),
    "counting-methods": ((), "→ list of ``convergence.balloting.CountingMethod`` instances the plug-in "
                             "offers to the balloting service (names unique across the site)."),
    "account-erasure-summary": (("user",),
                                "→ list of (what, if kept, if deleted) sentences, already translated, saying "
                                "what erasing the person's account does to the plug-in's rows when their "
                                "contributions are kept as « compte supprimé » and when they are deleted; "
                                "shown before the erasure is confirmed. Nothing held: an empty list."),
    "account-erasing": (("user", "keep_contributions"),
                        "→ None. The account is being erased, in the transaction that deletes it (do not "
                        "commit): remove the person's personal rows, keep the counts right, and keep their "
                        "contributions unlinked (``keep_contributions``) or delete them, as the summary said. "
                        "Foreign keys to users.id then apply their ON DELETE rule (enforced on SQLite too)."),
    "subject-label": (("subject_ids",),
                      "→ dict subject id → (label, url) naming the plug-in's own items among "
                      "``subject_ids`` (ids of ``participation_subjects`` rows whose ``plugin`` is the "
                      "plug-in's name), so that another plug-in's page lists the items linked to its own "
                      "(see convergence/participation/links.py). Asked only of the plug-in that owns them; "
                      "an item it no longer shows is left out."),
    "demo-content": (("assembly", "users"),
                     "→ list of lines saying what the plug-in added to the French demo (`convergence "
                     "load-demo`): it adds its own examples to the session, in the demo's assembly, with "
                     "the demo's accounts (``users``: dict of e-mail local part → User); the core commits."),
}

HookFunction = Callable[..., Any]


def connect(app, name: str, function: HookFunction, plugin: str) -> None:
    if name not in HOOKS:
        raise KeyError(f"unknown hook {name!r}; declared hooks: {', '.join(sorted(HOOKS))}")
    app.extensions["convergence.hooks"].setdefault(name, []).append((plugin, function))


def collect(name: str, *, assembly=None, only: str | None = None, **kwargs) -> list:
    """Call the functions connected to hook ``name`` and return their contributions.

    With ``assembly`` given, plug-ins switched off in that assembly are skipped; the
    assembly is passed on only to hooks that declare it. List results are concatenated;
    other results are appended. ``only``: ask that one plug-in only.
    """
    from .plugin_engine import active_plugin_names

    if name not in HOOKS:
        raise KeyError(name)
    receivers = current_app.extensions["convergence.hooks"].get(name, [])
    if only is not None:
        receivers = [(p, f) for p, f in receivers if p == only]
    if assembly is not None:
        if "assembly" in HOOKS[name][0]:
            kwargs["assembly"] = assembly
        active = active_plugin_names(assembly)
        receivers = [(p, f) for p, f in receivers if p in active]
    results: list = []
    for _plugin, function in receivers:
        value = function(**kwargs)
        if isinstance(value, list):
            results.extend(value)
        elif value is not None:
            results.append(value)
    return results
