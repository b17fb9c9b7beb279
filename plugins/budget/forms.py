"""Every form of the budget pages (Flask-WTF: CSRF token included). A form whose choices
depend on the process is given them with ``offer(...)`` after the handler made it. Amounts
are read by :mod:`.amounts`, so « 12 000 € » is 12000 and « -5 » or « douze » is refused
with its own message, the typed text kept in the field."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from convergence.refusal import Refused
from convergence.web.inputs import LocalDateTimeField, WholeNumberField, whole_number

from . import amounts, calendar, processes
from .models import (APPROVAL, BALLOT_KINDS, DATED_PHASES, KNAPSACK, PLACE_MAX, POINTS, PROCESS_RULES,
                     REASON_MAX, TEXT_MAX, TITLE_MAX, VOTER_KINDS)
from .projects import Fields
from .money import euros as written_euros


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class Choice(SelectField):
    """A select checked by the form's own messages (a forged value: « Unknown … »)."""

    def __init__(self, label=None, **options):
        super().__init__(label, coerce=_text, validate_choice=False, **options)


def euros(raw, *, required: bool = True) -> int | None:
    """The amount typed, in whole euros; ValidationError in French otherwise."""
    reading = amounts.read_euros(raw)
    if reading.problem == amounts.EMPTY and not required:
        return None
    messages = {
        amounts.EMPTY: _("Give an amount in euros."),
        amounts.NOT_A_NUMBER: _("Write the amount in euros with digits, for example 12 000."),
        amounts.NEGATIVE: _("The amount cannot be negative."),
        amounts.CENTS: _("Give the amount in whole euros, without cents."),
        amounts.TOO_LARGE: _("The amount is too large (at most %(max)s).", max=written_euros(amounts.EUROS_MAX)),
    }
    if reading.problem:
        raise ValidationError(messages[reading.problem])
    return reading.euros


def _local(moment):
    return to_user_timezone(moment).replace(tzinfo=None) if moment else None


# -- a process ------------------------------------------------------------------------------

PHASE_FIELDS = {"submission": ("submission_starts", "submission_ends"), "review": ("review_starts", "review_ends"),
                "vote": ("vote_starts", "vote_ends")}


class ProcessForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[
        DataRequired(_l("Give a title.")),
        Length(max=TITLE_MAX, message=_l("The title is too long (%(max)d characters at most).", max=TITLE_MAX))],
        render_kw={"maxlength": TITLE_MAX})
    description = TextAreaField(_l("Description (Markdown)"), filters=[_strip], validators=[
        Length(max=TEXT_MAX, message=_l("The description is too long (%(max)d characters at most).", max=TEXT_MAX))],
        render_kw={"rows": 6, "maxlength": TEXT_MAX})
    envelope = StringField(_l("Envelope in euros"), filters=[_strip], render_kw={"inputmode": "numeric"})
    areas = TextAreaField(_l("Areas (neighbourhoods), one a line, with their own envelope if any: « Nord ; 20 000 »"),
                          filters=[_strip], render_kw={"rows": 4})
    categories = TextAreaField(_l("Categories, one a line"), filters=[_strip], render_kw={"rows": 4})
    submission_starts = LocalDateTimeField(_l("Project submission: start"), validators=[Optional()])
    submission_ends = LocalDateTimeField(_l("Project submission: end"), validators=[Optional()])
    review_starts = LocalDateTimeField(_l("Feasibility study: start"), validators=[Optional()])
    review_ends = LocalDateTimeField(_l("Feasibility study: end"), validators=[Optional()])
    vote_starts = LocalDateTimeField(_l("Vote: opening"), validators=[Optional()])
    vote_ends = LocalDateTimeField(_l("Vote: close"), validators=[Optional()])
    ballot_kind = Choice(_l("Kind of ballot"), default=APPROVAL)
    min_choices = WholeNumberField(_l("Fewest projects to tick"), default=1, validators=[Optional()])
    max_choices = WholeNumberField(_l("Most projects to tick (empty: no limit)"), validators=[Optional()])
    max_points_per_project = WholeNumberField(_l("Points ballot: most points for one project"),
                                              validators=[Optional()])
    max_points = WholeNumberField(_l("Points ballot: most points in all"), validators=[Optional()])
    rule = Choice(_l("Allocation rule"), default="equalshares/add1")
    voters = Choice(_l("Who votes"), default="members")
    double_entry = BooleanField(_l("Paper ballots typed in twice by two people"))
    review_circle_id = Choice(_l("Review circle (its members study feasibility with the facilitators)"))

    def offer(self, circles) -> "ProcessForm":
        self.circles = {str(c.id): c for c in circles}
        self.ballot_kind.choices = [(APPROVAL, _("Approval: tick projects")),
                                    (POINTS, _("Points: share points among projects")),
                                    (KNAPSACK, _("Basket: tick projects within the envelope"))]
        self.rule.choices = [("equalshares/add1", _("Method of Equal Shares (recommended)")),
                             ("equalshares/add1-comparison", _("Method of Equal Shares, compared with greedy")),
                             ("greedy", _("Greedy: the most voted first"))]
        self.voters.choices = [("members", _("Members, with their account")),
                               ("codes", _("Residents, with a voting code")),
                               ("both", _("Both"))]
        self.review_circle_id.choices = [("", _("None: the facilitators"))] + [(k, c.name)
                                                                            for k, c in self.circles.items()]
        return self

    def show(self, process) -> None:
        """Fill the unsent form from the process."""
        for name in ("title", "description", "ballot_kind", "min_choices", "max_choices", "max_points_per_project",
                     "max_points", "rule", "voters", "double_entry"):
            getattr(self, name).data = getattr(process, name)
        self.envelope.data = str(process.envelope)
        self.review_circle_id.data = str(process.review_circle_id or "")
        self.areas.data = "\n".join(a.name + (f" ; {a.envelope}" if a.envelope else "") for a in process.areas)
        self.categories.data = "\n".join(c.name for c in process.categories)
        for phase in process.phases:
            if phase.name in PHASE_FIELDS:
                start, end = PHASE_FIELDS[phase.name]
                getattr(self, start).data, getattr(self, end).data = _local(phase.starts_at), _local(phase.ends_at)

    def validate_envelope(self, field):
        self._envelope = euros(field.data)
        if self._envelope == 0:
            raise ValidationError(_("The envelope must be more than 0 euros."))

    def validate_areas(self, field):
        self._areas, seen = [], set()
        for line in (field.data or "").splitlines():
            if not line.strip():
                continue
            name, _sep, amount = line.partition(";")
            name = name.strip()
            if not name or len(name) > PLACE_MAX:
                raise ValidationError(_("Each area needs a name of at most %(max)d characters.", max=PLACE_MAX))
            if name.lower() in seen:
                raise ValidationError(_("The area « %(name)s » is listed twice.", name=name))
            seen.add(name.lower())
            try:
                envelope = euros(amount, required=False)
            except ValidationError as problem:
                raise ValidationError(f"{name}\u00a0: {problem}") from None
            if envelope == 0:
                raise ValidationError(_("The envelope of « %(name)s » must be more than 0 euros.", name=name))
            self._areas.append((name, envelope))

    def validate_categories(self, field):
        self._categories, seen = [], set()
        for line in (field.data or "").splitlines():
            name = line.strip()
            if not name:
                continue
            if len(name) > PLACE_MAX:
                raise ValidationError(_("Each category needs a name of at most %(max)d characters.", max=PLACE_MAX))
            if name.lower() in seen:
                raise ValidationError(_("The category « %(name)s » is listed twice.", name=name))
            seen.add(name.lower())
            self._categories.append(name)

    def validate_ballot_kind(self, field):
        # The points are checked here: an empty optional field stops its own validators.
        if field.data not in BALLOT_KINDS:
            raise ValidationError(_("Unknown kind of ballot."))
        if field.data != POINTS:
            return
        each, in_all = self.max_points_per_project.data, self.max_points.data
        if not each or not in_all:
            raise ValidationError(_("A points ballot needs the most points for one project and in all "
                                    "(both more than 0)."))
        if in_all < each:
            raise ValidationError(_("The points in all must be at least the points for one project."))

    def validate_rule(self, field):
        if field.data not in PROCESS_RULES:
            raise ValidationError(_("Unknown allocation rule."))

    def validate_voters(self, field):
        if field.data not in VOTER_KINDS:
            raise ValidationError(_("Say who votes."))

    def validate_review_circle_id(self, field):
        if field.data and field.data not in self.circles:
            raise ValidationError(_("Unknown circle."))

    def validate_max_choices(self, field):
        low = self.min_choices.data or 0
        if field.data is not None and field.data < max(low, 1):
            raise ValidationError(_("The most projects to tick must be at least the fewest (and at least 1)."))

    def validate_vote_ends(self, field):
        dates = self.dates()
        problem = calendar.dates_problem(dates)
        if problem:
            name, _sep, what = problem.partition(":")
            label = processes.phase_label(name)
            raise ValidationError(_("The phase « %(phase)s » must end after it starts.", phase=label)
                                  if what == "ends_before_start" else
                                  _("The phase « %(phase)s » must start once the previous phase has ended.",
                                    phase=label))

    def dates(self) -> dict[str, calendar.Dates]:
        found = {}
        for name in DATED_PHASES:
            start, end = (getattr(self, f).data for f in PHASE_FIELDS[name])
            found[name] = calendar.Dates(to_utc(start).replace(tzinfo=None) if start else None,
                                         to_utc(end).replace(tzinfo=None) if end else None)
        return found

    def values(self) -> processes.Values:
        points = self.ballot_kind.data == POINTS
        return processes.Values(
            title=self.title.data, description=self.description.data or "", envelope=self._envelope,
            ballot_kind=self.ballot_kind.data,
            min_choices=self.min_choices.data if self.min_choices.data is not None else 1,
            max_choices=self.max_choices.data,
            max_points_per_project=self.max_points_per_project.data if points else None,
            max_points=self.max_points.data if points else None,
            rule=self.rule.data, voters=self.voters.data, double_entry=bool(self.double_entry.data),
            review_circle_id=self.circles[self.review_circle_id.data].id if self.review_circle_id.data else None,
            areas=self._areas, categories=self._categories, dates=self.dates())


# -- a project ------------------------------------------------------------------------------

_NEED_NUMBERS = re.compile(r"[\s,;]+")


class ProjectForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[
        DataRequired(_l("Give a title.")),
        Length(max=TITLE_MAX, message=_l("The title is too long (%(max)d characters at most).", max=TITLE_MAX))],
        render_kw={"maxlength": TITLE_MAX})
    description = TextAreaField(_l("Description (Markdown)"), filters=[_strip], validators=[
        DataRequired(_l("Describe the project.")),
        Length(max=TEXT_MAX, message=_l("The description is too long (%(max)d characters at most).", max=TEXT_MAX))],
        render_kw={"rows": 8, "maxlength": TEXT_MAX})
    cost = StringField(_l("Estimated cost in euros"), filters=[_strip], render_kw={"inputmode": "numeric"})
    area = Choice(_l("Area"))
    category = Choice(_l("Category"))
    latitude = StringField(_l("Latitude (optional)"), filters=[_strip], render_kw={"inputmode": "decimal"})
    longitude = StringField(_l("Longitude (optional)"), filters=[_strip], render_kw={"inputmode": "decimal"})
    needs = StringField(_l("Numbers of the needs it answers (optional), for example « 12, 15 »"),
                        filters=[_strip], render_kw={"inputmode": "numeric"})

    def offer(self, process, *, needs: bool = True) -> "ProjectForm":
        self.process = process
        self.area_items = {str(a.id): a for a in process.areas}
        self.category_items = {str(c.id): c for c in process.categories}
        self.area.choices = [("", "—")] + [(k, a.name) for k, a in self.area_items.items()]
        self.category.choices = [("", "—")] + [(k, c.name) for k, c in self.category_items.items()]
        if not needs:
            del self.needs
        return self

    def validate_cost(self, field):
        self._cost = euros(field.data)

    def validate_area(self, field):
        if field.data and field.data not in self.area_items:
            raise ValidationError(_("Unknown area."))

    def validate_category(self, field):
        if field.data and field.data not in self.category_items:
            raise ValidationError(_("Unknown category."))

    def validate_latitude(self, field):
        lat, lon = _coordinate(field.data), _coordinate(self.longitude.data)
        if bool(field.data) != bool(self.longitude.data):
            raise ValidationError(_("Give both the latitude and the longitude, or neither."))
        if field.data and (lat is None or lon is None or not -90 <= lat <= 90 or not -180 <= lon <= 180):
            raise ValidationError(_("The place must be a latitude between -90 and 90 and a longitude between "
                                    "-180 and 180, for example 45.76 and 4.83."))

    def validate_needs(self, field):
        self._needs = []
        for part in _NEED_NUMBERS.split(field.data or ""):
            part = part.lstrip("#")
            if not part:
                continue
            number = whole_number(part, low=1)
            if number is None:
                raise ValidationError(_("Write the numbers of the needs with digits, separated by commas."))
            self._needs.append(number)

    def values(self) -> Fields:
        return Fields(title=self.title.data, description=self.description.data or "", cost=self._cost,
                      area_id=self.area_items[self.area.data].id if self.area.data else None,
                      category_id=self.category_items[self.category.data].id if self.category.data else None,
                      latitude=_coordinate(self.latitude.data), longitude=_coordinate(self.longitude.data),
                      need_ids=tuple(getattr(self, "_needs", ())))


def _coordinate(raw) -> float | None:
    text = (raw or "").strip().replace(",", ".")
    if not text or not re.fullmatch(r"-?[0-9]{1,3}(\.[0-9]{1,12})?", text):
        return None
    return float(text)


# -- the project's page -----------------------------------------------------------------------

class SupportForm(FlaskForm):
    # The button says what it sets, so a second press (or a replay) changes nothing.
    action = HiddenField()

    def wanted(self) -> str:
        if self.action.data not in ("support", "withdraw"):
            raise Refused(_("Say whether you support this project or withdraw your support."), 400)
        return self.action.data


class ReviewForm(FlaskForm):
    verdict = RadioField(_l("Verdict"), choices=[("feasible", _l("Feasible")), ("not_feasible", _l("Not feasible"))],
                         validate_choice=False)
    reason = TextAreaField(_l("Public reason (required when not feasible)"), filters=[_strip], validators=[
        Length(max=REASON_MAX, message=_l("The reason is longer than %(n)d characters.", n=REASON_MAX))],
        render_kw={"rows": 3, "maxlength": REASON_MAX})
    revised_cost = StringField(_l("Revised cost in euros (empty: the estimate stays)"), filters=[_strip],
                               render_kw={"inputmode": "numeric"})

    def validate_verdict(self, field):
        if field.data not in ("feasible", "not_feasible"):
            raise ValidationError(_("Say whether the project is feasible."))

    def validate_reason(self, field):
        if self.verdict.data == "not_feasible" and not field.data:
            raise ValidationError(_("Say publicly why the project is not feasible."))

    def validate_revised_cost(self, field):
        self._revised = euros(field.data, required=False)

    def revised(self) -> int | None:
        return self._revised if self.verdict.data == "feasible" else None


class MergeForm(FlaskForm):
    target = StringField(_l("This project duplicates project number"), filters=[lambda v: _strip(v or "").lstrip("#")],
                         render_kw={"inputmode": "numeric"})

    def validate_target(self, field):
        self.number = whole_number(field.data, low=1)
        if self.number is None:
            raise ValidationError(_("Give the number of a project of this budget."))
