"""Majority judgment as a counting method of the balloting service
(``convergence.balloting.methods``): the first one.

Its definition is a :class:`Sheet`: the vote's option ids in position order and its number
of grades. A ballot is one grade digit (0 = worst) per option, in that order; the register
publishes ``{"grades": [...], "receipt": ...}``; paper batches are counts per option id
and grade; the tally is :func:`engine.rank` (pure, no Flask).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from convergence.balloting.methods import CountingMethod, InvalidBallot
from convergence.balloting.register import ChainError
from convergence.web.inputs import whole_number

from . import chain, engine

FIELD_PREFIX = "option-"


@dataclass(frozen=True)
class Sheet:
    option_ids: tuple[int, ...]
    n_grades: int


class MajorityJudgment(CountingMethod):
    name = "mj"
    title = _l("Majority judgment")
    register_format = chain.FORMAT
    form_template = "mj/_ballot_fields.html"
    result_template = "mj/_results.html"

    def read(self, sheet: Sheet, form) -> dict[int, int]:
        """Grades per option id; a field naming an option outside the vote refuses the
        whole ballot (tampering), a missing or impossible grade is a field's error."""
        known = set(sheet.option_ids)
        for key in form:
            if key.startswith(FIELD_PREFIX) and whole_number(key[len(FIELD_PREFIX):]) not in known:
                raise InvalidBallot(_l("This ballot names an option that is not part of this vote. "
                                       "Nothing was recorded."))
        grades, errors = {}, {}
        for option_id in sheet.option_ids:
            values = form.getlist(f"{FIELD_PREFIX}{option_id}")
            if not values or not values[0].strip():
                errors[option_id] = _l("Choose a grade for this option.")
                continue
            grade = whole_number(values[0], high=sheet.n_grades - 1) if len(values) == 1 else None
            if grade is None:
                errors[option_id] = _l("This grade is not on the scale of this vote.")
            else:
                grades[option_id] = grade
        if errors:
            raise InvalidBallot(errors=errors, content=grades)
        return grades

    def serialise(self, sheet: Sheet, grades: dict[int, int]) -> str:
        """One digit per option in position order (scales have at most 10 grades)."""
        return "".join(str(grades[option_id]) for option_id in sheet.option_ids)

    def deserialise(self, sheet: Sheet, text: str) -> dict[int, int]:
        return {option_id: int(digit) for option_id, digit in zip(sheet.option_ids, text)}

    def entry(self, text: str) -> dict:
        return {"grades": [int(digit) for digit in text]}

    def check_entry(self, header: dict, entry: dict, number: int) -> dict:
        grades, n_grades = entry.get("grades"), header["grades"]
        if not isinstance(grades, list) or len(grades) != len(header["options"]) or any(
            isinstance(g, bool) or not isinstance(g, int) or not 0 <= g < n_grades for g in grades
        ):
            raise ChainError(f"entry {number}: grades do not fit the vote")
        return {"grades": grades, "receipt": entry["receipt"]}

    def tally(self, sheet: Sheet, ballots, paper=()) -> engine.Result:
        """The ranking (options by id) of serialised ballots plus paper batches
        (``{option_id: [count per grade]}`` each). Raises ``engine.NoJudgmentsError``
        when there is no ballot at all."""
        counts = {option_id: [0] * sheet.n_grades for option_id in sheet.option_ids}
        participants = 0
        for text in ballots:
            participants += 1
            for option_id, digit in zip(sheet.option_ids, text):
                counts[option_id][int(digit)] += 1
        for batch in paper:
            participants += max((sum(row) for row in batch.values()), default=0)
            for option_id, row in batch.items():
                counts[option_id] = [a + b for a, b in zip(counts[option_id], row)]
        return engine.rank(counts, participants=participants)
