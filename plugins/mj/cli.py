"""``convergence mj-tally FILE``: rank options from a ballots file, without any database.

Also runs without the application: ``python -m plugins.mj.cli FILE``.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path

import click
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from . import engine
from .ballots_file import BallotsFileError, load
from .scales import BUILTIN_SCALES

MISSING_CHOICES = ("worst", "median", "normalized")


class BadBallotsFile(click.ClickException):
    """Printed as ``Error: line L, column C: …`` on stderr; exit status 2 like a usage error."""

    exit_code = 2


def grade_labels(n_grades: int) -> list[str]:
    """Labels for a file's scale: the built-in scale of that size, else the numbers."""
    for labels in BUILTIN_SCALES.values():
        if len(labels) == n_grades and labels[0] != "0":
            return [str(label) for label in labels]
    return [str(g + 1) for g in range(n_grades)]


def _locale():
    # The labels follow the platform's default language when the app is there
    # (no request, so no visitor's language); plain English msgids otherwise.
    if current_app:
        return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "fr"))
    return nullcontext()


@click.command("mj-tally")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@click.option("--missing", type=click.Choice(MISSING_CHOICES), default="worst", show_default=True,
              help="How to count a judgment an option did not get: as the worst grade, as the "
                   "option's own majority grade, or by comparing proportions only.")
def mj_tally(file: Path, as_json: bool, missing: str):
    """Rank the options of FILE by majority judgment.

    FILE holds raw ballots (CSV: a header ",option,option,…" then one row per ballot:
    an id then a grade per option, 1 = worst, 0 = no opinion) or tallies (JSON:
    {"participants": N, "tallies": {"option": [count per grade, worst first]}}).
    """
    try:
        data = load(file)
        result = engine.rank(data.tallies, participants=data.participants, missing=missing)
    except BallotsFileError as error:
        raise BadBallotsFile(str(error)) from None
    except engine.TallyError as error:
        raise BadBallotsFile(str(error)) from None
    if as_json:
        ranking = [
            {"option": r.option, "rank": r.rank, "majority_grade": r.majority_grade}
            for r in result.ranking
        ]
        click.echo(json.dumps({"ranking": ranking}, ensure_ascii=False, indent=2))
        return
    with _locale():
        labels = grade_labels(result.n_grades)
        headings = (_("Rank"), _("Option"), _("Majority grade"))
    width = max([len(str(r.option)) for r in result.ranking] + [len(headings[1])])
    click.echo(f"{headings[0]:>5}  {headings[1]:<{width}}  {headings[2]}")
    for r in result.ranking:
        click.echo(f"{r.rank:>5}  {str(r.option):<{width}}  {labels[r.majority_grade]}")


if __name__ == "__main__":
    mj_tally()
