"""The one gate for what a request may carry, before any of it reaches the database.

PostgreSQL refuses a NUL byte in text and an integer beyond 32 bits, and Python refuses to
read « ² » or a number of more than 4,300 digits although ``str.isdigit()`` accepts them:
each of these used to surface as a server error in the middle of a transaction. Here they
are refused at the door instead — a control character anywhere in the address, the query
or a form with a 400, an out-of-range number in the address with a 404 (no such page) —
and code that reads a number typed by a person goes through :func:`whole_number` or
:class:`WholeNumberField`, which accept ASCII digits only, within the column's range (and a
date through :class:`LocalDateTimeField`, within years that convert to UTC).
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import Flask, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter, ValidationError
from wtforms import DateTimeLocalField, IntegerField
from wtforms.validators import StopValidation

# PostgreSQL's INTEGER, the type of every id and count column.
INT32_MAX = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only; 10 digits cover INT32_MAX
# Tab, line feed and carriage return are text (a textarea sends CR LF); no other control
# character is typed by a person, and PostgreSQL cannot store NUL at all.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f]")


def whole_number(raw, *, low: int = 0, high: int = INT32_MAX) -> int | None:
    """The number written in ``raw`` with ASCII digits (spaces around allowed), if it lies
    within [low, high]; otherwise None."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


class DatabaseIntConverter(IntegerConverter):
    """``<int:…>`` in routes: ASCII digits only, within PostgreSQL's INTEGER; anything else
    matches no route (404) instead of reaching a query that would fail."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        highest = INT32_MAX if max is None or max > INT32_MAX else max
        super().__init__(map, fixed_digits, min, highest, signed)

    def to_python(self, value: str):
        if len(value.lstrip("-")) > 10:  # before int(): it would read thousands of digits
            raise ValidationError()
        return super().to_python(value)


class WholeNumberField(IntegerField):
    """An integer field that reads ASCII digits only, up to PostgreSQL's INTEGER (``int()``
    would take « ١٢ », refuse « ² » only after ``isdigit()`` said yes, and spend time on
    thousands of digits). Its NumberRange still says what the field means."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0]
        if raw is None or not str(raw).strip():
            self.data = None
            return
        self.data = whole_number(raw)
        if self.data is None:
            raise ValueError(self.invalid_value_message or _("Type a whole number with the digits 0 to 9."))


# The years a meeting or a vote may be set in. Beyond them nothing is meant, and the first
# ones cannot even be converted to UTC (local midnight of year 1 falls in year 0).
FIRST_YEAR, LAST_YEAR = 1900, 2999


def within_calendar(moment: datetime | None) -> bool:
    return moment is not None and FIRST_YEAR <= moment.year <= LAST_YEAR


class LocalDateTimeField(DateTimeLocalField):
    """A local date and time (``YYYY-MM-DDTHH:MM``) in the years :data:`FIRST_YEAR` to
    :data:`LAST_YEAR`. Another is refused, and its ``data`` is None, so that no check of
    the form converts it."""

    def __init__(self, label=None, validators=None, format="%Y-%m-%dT%H:%M", **kwargs):
        super().__init__(label, validators, format=format, **kwargs)
        self.out_of_calendar = False

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.out_of_calendar = self.data is not None and not within_calendar(self.data)
        if self.out_of_calendar:
            self.data = None

    def pre_validate(self, form):
        if self.out_of_calendar:  # said before DataRequired, which would only say « required »
            raise StopValidation(_("Give a date between the years %(first)d and %(last)d.",
                                   first=FIRST_YEAR, last=LAST_YEAR))


REFUSED_CONTROL = _l("What you sent contains an invisible control character (such as a NUL byte), "
                     "which no field accepts. Remove it and send again.")


def _carries_control_character() -> bool:
    if _CONTROL_IN_PATH.search(request.path):
        return True
    for values in (request.args, request.form if request.method in ("POST", "PUT", "PATCH") else None):
        if not values:
            continue
        for key, value in values.items(multi=True):
            if _CONTROL_IN_TEXT.search(key) or _CONTROL_IN_TEXT.search(value):
                return True
    return False


def refuse_control_characters():
    if _carries_control_character():
        from .errors import abort_with

        abort_with(400, str(REFUSED_CONTROL))


def register_input_rules(app: Flask) -> None:
    """Must run before any route is added: converters are bound when a rule is."""
    app.url_map.converters["int"] = DatabaseIntConverter
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_control_characters)
