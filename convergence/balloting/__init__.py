"""The balloting service: what every vote of the platform shares, whatever it counts.

* **Eligibility** (``eligibility.py``): who has a ballot, as an :class:`Electorate` the
  asking plug-in gives (default: the members of the vote's space); a site administrator
  never votes in someone's place (the rule ``balloting.vote`` is membership-only).
* **Ballot boxes** (``models.py``): a vote of any plug-in points at its box, whose tables
  hold its participations, voting codes, sealed ballots, written-out ballots and paper
  batches.
* **One participation per person and ballot box**, enforced by the database's unique
  constraint, written in the same transaction as the sealed ballot
  (``convergence.ballot_box``: sealed while open, written out shuffled at the close).
* **Receipts and voting codes** (``receipts.py``): random, typed back leniently.
* **A first ballot in autocommit** (``autocommit.py``): on PostgreSQL one statement, sent
  straight to the driver (``convergence.models.driver``), without BEGIN and COMMIT.
* **Paper batches**: counts entered by tellers, in the counting method's own shape, official
  acts of the commune's journal, never ballots of the register.
* **The published register** (``register.py``): a hash chain of the ballots sorted by
  receipt, its head fixed at the close, checked by anyone with :func:`register.verify`.
* **Counting methods** (``methods.py``): a small strategy class per kind of ballot (read a
  form, serialise, publish, count). Majority judgment (``plugins/mj``) is the first; the
  yes / no / abstention adoption vote (``yes_no.py``, rule in ``adoption.py``) the second.
* **The close** is announced by the ``vote-closed`` signal (``convergence.hooks``), after the
  closing commit, with the result: the plug-in that asked for the vote applies it.

See the README's section « Balloting service » for the smallest example of each.
"""

from __future__ import annotations

from . import eligibility  # noqa: F401  (registers the rule balloting.vote)
from .eligibility import BY_CODES, Electorate, may_vote, members_of
from .methods import CountingMethod, InvalidBallot, method_named, methods

__all__ = ["BY_CODES", "CountingMethod", "Electorate", "InvalidBallot", "may_vote", "members_of",
           "method_named", "methods"]
