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

space_created = _signals.signal("space-created")
"""Sent after the commit that creates a space (a commune, an assembly, a circle, a plug-in's
kind). Sender: the Space. A receiver that writes commits its own work. No return value."""

membership_changed = _signals.signal("membership-changed")
"""Sent after the commit that changes a membership, whatever the path (invitation, circle
decision, role withdrawn …). Sender: the Membership (for "left", the deleted row, its
attributes still readable); ``change``: "joined", "left" or "role". No return value."""

plugin_toggled = _signals.signal("plugin-toggled")
"""Sent after the commit that switches a plug-in on or off in a space.
Sender: the Space; ``plugin``: its name; ``active``: bool."""

phase_changed = _signals.signal("phase-changed")
"""Sent after the commit that records a timed subject entering a new state (a vote opens
or closes at its time or by a facilitator's action; see ``convergence/phases.py``), once
per transition, in the process that recorded it (often the worker). Sender: the subject
(e.g. the mj Vote); ``kind``: its kind (``"mj.vote"``); ``old``, ``new``: ``"upcoming"``,
``"open"`` or ``"closed"``. No return value; a receiver that needs to write commits its own
transaction."""

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

ballot_box_closed = _signals.signal("ballot-box-closed")
"""Sent once a vote whose count is heavy deferred work is closed, after the commit that
closed its ballot box (the sealed ballots written out shuffled, the salt erased), before
anything is counted: the participatory budget's vote (``plugins.budget.status``), whose
allocation may take seconds. Sender: the subject (the budget ``Process``); ``method``: the
counting method's name (``"budget"``); ``box_id``: the ballot box; ``asked_by``:
``(plugin name, reference)``, e.g. ``("budget", "12")``; ``closed_by``: the User who closed
it, or None (its date). A receiver defers the computation of the result (``tasks.defer``)
and commits its own changes; the box stays closed whatever it does. No return value."""

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
    "agenda-item-actions": (("assembly", "item"),
                            "→ list of (label, url) of what a facilitator may open on the agenda item "
                            "``item`` of ``assembly`` in one tap (a vote, a consent round), shown on the "
                            "facilitation console; ``url`` is a page of the plug-in (a form prefilled for the "
                            "item, or a confirmation page): one tap never opens anything by itself."),
    "room-display": (("assembly", "item"),
                     "→ list of Markup blocks shown in large type on the room display while ``item`` is the "
                     "current agenda item (the state of a vote or consent round open on it); no form, no "
                     "link the room cannot follow, bounded queries (the page reloads on every live event)."),
    "exports": (("target", "kind"),
                "→ list of (label, url) data exports of the space, listed on its « Données ouvertes » page: "
                "``kind`` is \"commune\", \"assembly\" or \"circle\" and ``target`` the Commune, Assembly or "
                "Circle (choose by ``kind``, never by the object's class). ``url`` is absolute, from "
                "``convergence.web.links.absolute_url``: people copy it into their own tools. Plug-ins switched off "
                "in the space are not asked."),
    "space-roles": (("user", "space"),
                    "→ list of extra role names ``user`` holds in ``space`` (a Space) through the plug-in "
                    "(a meeting's delegate, an elected member …); they count in every rule as a role held "
                    "in the space itself. Called only for plug-ins switched on in the space; keep it "
                    "free of queries on hot paths (read along with what the page already loads)."),
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
    "open-now": (("user", "limit"),
                 "→ list of ``convergence.open_now.OpenItem``: what of the plug-in is open now (votes, consent "
                 "rounds …), newest first, at most ``limit``, read in a bounded number of queries (one is best, "
                 "whatever the data). ``user`` None: what anyone may see, for the home page; a User: only what "
                 "that person may take part in now and has not done yet, for « Pour moi » (membership only: a "
                 "site administrator is not asked in anyone's place). Not scoped to a space: leave out the spaces "
                 "where the plug-in is switched off in the query (``convergence.open_now.switched_on``)."),
    "person-items": (("user", "limit"),
                     "→ list of ``convergence.open_now.OpenItem``: what the person wrote or reported through the "
                     "plug-in (needs, proposals …), latest change first (``changed_at``), at most ``limit``, in a "
                     "bounded number of queries; shown on their « Pour moi » page."),
    "opening-audience": (("kind", "subject_id"),
                         "→ ``convergence.notifications.Opening`` or None: for a subject of the plug-in that has "
                         "just opened — ``kind`` is the phase kind of ``phase-changed`` (``\"mj.vote\"``) or "
                         "``\"consent:<round kind>\"`` for a consent round — its title, where it is, its page and "
                         "the select of the ids of the people it opens to; None for a kind that is not the "
                         "plug-in's. The core mails those who asked for it (convergence/notifications/)."),
    "item-actions": (("plugin", "item_id", "user"),
                     "→ list of (label, url) of what another plug-in offers to do with item ``item_id`` of "
                     "plug-in ``plugin`` (its own name for it, e.g. \"proposals\" and a proposal's id), shown "
                     "as buttons on that item's page: « Envoyer à une rencontre » on an adopted proposal. Read "
                     "the item through its plug-in's ``api.py``; answer [] for an item or a person it does not "
                     "concern, in a bounded number of queries. ``user``: the visitor (None: anonymous). Not "
                     "scoped to the item's space: the other plug-in's things may live in another commune."),
    "space-actions": (("space", "user"),
                      "→ list of (label, url) of the main things a person does here through the plug-in "
                      "(« Signaler un besoin », « Faire une proposition »), shown as prominent buttons at the top of "
                      "the commune and assembly pages; ``space`` is the Space (the assembly page also asks its "
                      "commune's), ``user`` the visitor (anonymous too: the page asks them to log in)."),
    "demo-switch-on": ((),
                       "→ list of names of plug-ins to switch on in the demo's commune before its content "
                       "is added (``demo-commune-content``): a plug-in off by default (participatory "
                       "budgeting) whose examples belong there; asked of every enabled plug-in."),
    "demo-commune-content": (("commune", "users"),
                             "→ list of lines, like ``demo-content``, for a plug-in whose items belong to the "
                             "demo's commune (needs on the map); the core commits."),
    "journal-sentences": ((),
                          "→ dict action code → function(act) returning, already translated (gettext), the "
                          "sentence that tells one of the plug-in's journal entries on the « Journal des "
                          "décisions » page (convergence/journal.py): ``act.who`` is the name of who did it "
                          "(or « la plateforme »), ``act.target`` what it concerned as recorded, "
                          "``act.get(key)`` a detail (an older entry may lack it). No query: the page tells "
                          "200 entries. An action nobody describes is shown as its code and details."),
    "demo-ballots": (("vote_id", "ballots"),
                     "→ int, how many ballots were cast. In the French demo only: the counting plug-in whose "
                     "vote ``vote_id`` is (a vote by codes another plug-in asked for, e.g. a vote between "
                     "wordings) casts ``ballots``, a list of (voting code, {option source id: grade, worst "
                     "0}), each as its code page would (sealed, in its own transaction), so that a plug-in's "
                     "demo fills a vote without importing the counting plug-in; ask it with ``only=``."),
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


def collect(name: str, *, space=None, assembly=None, only: str | None = None, **kwargs) -> list:
    """Call the functions connected to hook ``name`` and return their contributions.

    With ``space`` given (a Space, or a Commune/Assembly/Circle), plug-ins switched off in
    that space are skipped; it is passed on (as a Space) only to hooks that declare
    ``space``. ``assembly`` is passed on to hooks that declare it and, without ``space``,
    scopes the call to the assembly's space. List results are concatenated; other results
    are appended. ``only``: ask that one plug-in only.
    """
    from .features import active_plugin_names

    if name not in HOOKS:
        raise KeyError(name)
    declared = HOOKS[name][0]
    receivers = current_app.extensions["convergence.hooks"].get(name, [])
    if only is not None:
        receivers = [(p, f) for p, f in receivers if p == only]
    if assembly is not None and "assembly" in declared:
        kwargs["assembly"] = assembly
    scope = space if space is not None else assembly
    if scope is not None:
        if "space" in declared:
            from .spaces import space_of

            kwargs["space"] = space_of(scope)
        active = active_plugin_names(scope)
        receivers = [(p, f) for p, f in receivers if p in active]
    results: list = []
    for _plugin, function in receivers:
        value = function(**kwargs)
        if isinstance(value, list):
            results.extend(value)
        elif value is not None:
            results.append(value)
    return results
