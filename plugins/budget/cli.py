"""``convergence pb-allocate FILE.pb``: the funded projects of a Pabulib file, without any
database. Also runs without the application: ``python -m plugins.budget.cli FILE.pb``."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import click

from . import pabulib
from .allocation import RULES, SHORT, TieOrder, allocate


class BadPabulibFile(click.ClickException):
    """Printed as ``Error: line L: …`` on stderr; exit status 2 like a usage error."""

    exit_code = 2


def _amount(value: Fraction | int):
    """Whole amounts as integers in JSON, others as exact decimal text when they have one."""
    value = Fraction(value)
    if value.denominator == 1:
        return value.numerator
    return float(value) if (value * 10**6).denominator == 1 else str(value)


def _rule_of(pb: pabulib.PabulibFile, asked: str | None) -> str:
    if asked:
        return SHORT.get(asked, asked)
    rule = pb.meta.get("rule", "")
    if rule not in RULES:
        raise pabulib.PabulibError(pb.meta_line("rule") if "rule" in pb.meta else pb.meta_line("META"),
                                   f"rule {rule!r} cannot be applied (known: {', '.join(RULES)}); "
                                   f"choose one with --rule")
    return rule


@click.command("pb-allocate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--rule", type=click.Choice(sorted(SHORT) + list(RULES)), default=None,
              help="greedy, mes (= equalshares/add1), or a rule as Pabulib names it. "
                   "Default: the rule named in the file's META.")
@click.option("--seed", default="", help="Seed of the lot that breaks the last ties (published with the result).")
@click.option("--json", "as_json", is_flag=True, help='Print {"rule", "selected", "cost"} as JSON.')
def pb_allocate(file: Path, rule: str | None, seed: str, as_json: bool):
    """Compute the funded projects of FILE, a participatory budget in Pabulib's .pb format.

    Ties go to the lowest cost, then to the most votes, then to the lot drawn with --seed."""
    try:
        pb = pabulib.load(file)
        applied = _rule_of(pb, rule)
        election = pabulib.election(pb)
        threshold = None
        if applied == "greedy-threshold":
            if "min_project_score_threshold" not in pb.meta:
                raise pabulib.PabulibError(pb.meta_line("rule"),
                                           "greedy-threshold needs min_project_score_threshold in META")
            threshold = pabulib.number(pb.meta["min_project_score_threshold"],
                                       pb.meta_line("min_project_score_threshold"), "min_project_score_threshold",
                                       negative=True)
    except pabulib.PabulibError as error:
        raise BadPabulibFile(str(error)) from None
    ties = TieOrder(election, seed)
    result = allocate(election, applied, ties, threshold=threshold)
    ids = [election.projects[i].id for i in result.funded]
    if as_json:
        click.echo(json.dumps({"rule": applied, "selected": ids, "cost": _amount(result.cost)}, ensure_ascii=False))
        return
    click.echo(f"rule: {applied}")
    click.echo(f"funded: {len(ids)} projects, cost {_amount(result.cost)} of {_amount(election.budget)}")
    for pid in ids:
        click.echo(f"  {pid}")
    if result.comparison is not None:
        c = result.comparison
        click.echo(f"comparison with greedy: {c.prefer_equal_shares} voters prefer equal shares, "
                   f"{c.prefer_greedy} prefer greedy")
    click.echo(f"tie order (seed {seed!r}): lowest cost, most votes, then the lot: {', '.join(ties.lot)}")


if __name__ == "__main__":
    pb_allocate()
