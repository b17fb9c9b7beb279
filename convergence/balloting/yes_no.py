"""The yes / no / abstention adoption vote, a counting method of the balloting service.

A ballot is one letter (``adoption.YES``, ``NO`` or ``ABSTAIN``); the register publishes
``{"choice": "y", "receipt": …}``; the result is an :class:`adoption.Outcome`, decided by
the :class:`adoption.AdoptionRule` the asking plug-in gives as the vote's definition.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from . import adoption
from .methods import CountingMethod, InvalidBallot
from .register import ChainError

FIELD = "choice"
LABELS = {adoption.YES: _l("Yes"), adoption.NO: _l("No"), adoption.ABSTAIN: _l("Abstention")}


class YesNoAbstention(CountingMethod):
    name = "yes-no"
    title = _l("Yes, no or abstention")
    register_format = "convergence-yes-no-register/1"
    form_template = "balloting/_yes_no_form.html"
    result_template = "balloting/_yes_no_result.html"

    def read(self, definition, form):
        values = form.getlist(FIELD)
        if len(values) > 1:
            raise InvalidBallot(_l("This ballot gives several answers. Nothing was recorded."))
        if not values or not values[0].strip():
            raise InvalidBallot(errors={FIELD: _l("Choose yes, no or abstention.")})
        choice = values[0].strip()
        if choice not in adoption.CHOICES:
            raise InvalidBallot(errors={FIELD: _l("This answer is not one of the choices.")})
        return choice

    def serialise(self, definition, content) -> str:
        if content not in adoption.CHOICES:
            raise InvalidBallot(errors={FIELD: _l("This answer is not one of the choices.")})
        return content

    def deserialise(self, definition, text: str):
        if text not in adoption.CHOICES:
            raise ValueError(f"not an adoption ballot: {text!r}")
        return text

    def entry(self, text: str) -> dict:
        return {"choice": self.deserialise(None, text)}

    def check_entry(self, header: dict, entry: dict, number: int) -> dict:
        if entry.get("choice") not in adoption.CHOICES:
            raise ChainError(f"entry {number}: the choice does not fit the vote")
        return {"choice": entry["choice"], "receipt": entry["receipt"]}

    def tally(self, definition, ballots, paper=()) -> adoption.Outcome:
        rule = definition if definition is not None else adoption.SIMPLE_MAJORITY
        return adoption.decide(*adoption.count(ballots, paper), rule)
