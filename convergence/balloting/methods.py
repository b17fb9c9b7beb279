"""The counting-method interface: what a kind of ballot must say for the balloting service
to take it, seal it, publish it and count it.

A counting method is a small strategy class, without state. The service (casting,
sealing, the register, paper batches, the close) never looks inside a ballot: it handles
the text :meth:`CountingMethod.serialise` gives and hands it back to the method to count.
Majority judgment (``plugins/mj/method.py``) is the first method; the core's own
yes / no / abstention vote (``yes_no.py``) the second; budget allocation comes next.

A method's *definition* is whatever it needs to read a ballot: for majority judgment the
vote's option ids and its number of grades, for an adoption vote nothing but its rule.

Plug-ins offer their methods through the ``counting-methods`` hook; :func:`methods` lists
the core's and theirs, by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar


class InvalidBallot(ValueError):
    """A ballot whose content does not fit the vote. ``errors``: a message per field of the
    ballot's form (what the voter must correct, their choices being kept); ``message``: one
    message when the ballot as a whole is refused (e.g. a field the form never had)."""

    def __init__(self, message: str = "", errors: Mapping[str, str] | None = None, content: Any = None):
        super().__init__(str(message) or "; ".join(map(str, (errors or {}).values())))
        self.message = message
        self.errors = dict(errors or {})
        self.content = content  # what could be read, to show the form again as it was sent


class CountingMethod:
    """One way of voting and counting. Subclasses set the class attributes and implement
    the five methods; every method is pure (no database, no request)."""

    name: ClassVar[str]  # stored with each vote: never rename it
    title: ClassVar[Any]  # for people (lazily translated)
    register_format: ClassVar[str]  # the ``format`` of the register's header
    form_template: ClassVar[str]  # partial drawing the ballot's fields: gets ``vote`` and ``content``
    result_template: ClassVar[str]  # partial drawing a result: gets ``vote`` and ``result``

    def read(self, definition, form: Mapping[str, Any]):
        """The ballot's content from the fields of a submitted form (``form.getlist`` as in
        Werkzeug's MultiDict); raises :class:`InvalidBallot`."""
        raise NotImplementedError

    def serialise(self, definition, content) -> str:
        """The ballot as printable ASCII without ``|``: what is sealed while voting is open
        and written out, then published, at the close."""
        raise NotImplementedError

    def deserialise(self, definition, text: str):
        raise NotImplementedError

    def entry(self, text: str) -> dict:
        """What the register publishes of one ballot, beside its receipt."""
        raise NotImplementedError

    def check_entry(self, header: dict, entry: dict, number: int) -> dict:
        """A register entry checked against its header; returns it as hashed (with its
        receipt, without its hash). Raises ``register.ChainError``."""
        raise NotImplementedError

    def tally(self, definition, ballots: Iterable[str], paper: Iterable = ()):
        """The result of these serialised ballots and these paper batches' counts (each
        in the method's own shape, as entered by tellers)."""
        raise NotImplementedError


def methods() -> dict[str, CountingMethod]:
    """Every counting method of this site, by name: the core's, then the plug-ins'."""
    from convergence import hooks

    from .yes_no import YesNoAbstention

    found: dict[str, CountingMethod] = {YesNoAbstention.name: YesNoAbstention()}
    for method in hooks.collect("counting-methods"):
        if method.name in found:
            raise ValueError(f"two counting methods are named {method.name!r}")
        found[method.name] = method
    return found


def method_named(name: str) -> CountingMethod:
    return methods()[name]
