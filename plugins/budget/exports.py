"""The published result as files: CSV (one row per project), JSON (the result with what is
needed to compute it again) and Pabulib ``.pb`` (the budget and its ballots, anonymised).

Only a published result is exported (the views refuse before). The ``.pb`` file lists the
counted ballots — online and paper alike — in the canonical order of the ballots' hash
(``results.ballots_hash``), with voter ids 1, 2, 3 … given after sorting: nothing in it
(no receipt, no polling place, no order of casting) links a ballot to a voter, and hashing
its votes as the result's hash says gives the published hash again. A project's
``project_id`` is the id it was imported with when every project has one, else its number.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from convergence.extensions import db

from . import ballots as ballot_text
from . import pabulib
from .models import FEASIBLE, POINTS, Process, Project, Result
from .results import read_ballots


@dataclass
class Row:
    project: Project
    votes: int
    score: int
    cost: int
    funded: bool
    funded_by_greedy: bool
    part: str | None


def projects_of(process: Process) -> list[Project]:
    """The projects on the ballot, with their area and category, by number (one query)."""
    return list(db.session.scalars(
        db.select(Project).where(Project.process_id == process.id, Project.status == FEASIBLE)
        .options(db.joinedload(Project.area), db.joinedload(Project.category)).order_by(Project.number)))


def rows(result: Result, projects: list[Project]) -> list[Row]:
    """Every project of the result, by number, with its figures as the result stored them."""
    by_number = {p.number: p for p in projects}
    out = []
    for part in result.details.get("parts", []):
        for figures in part["projects"]:
            project = by_number.get(figures["number"])
            if project is None:
                continue
            out.append(Row(project, figures["votes"], figures["score"], figures["cost"], figures["funded"],
                           figures["funded_by_greedy"], part.get("name")))
    return sorted(out, key=lambda r: r.project.number)


CSV_HEADER = ("number", "title", "area", "category", "cost", "votes", "score", "funded", "funded_by_greedy",
              "latitude", "longitude", "source_ref")


def csv_header() -> list[str]:
    return [_("Number"), _("Title"), _("Area"), _("Category"), _("Cost (€)"), _("Votes"), _("Score"),
            _("Funded"), _("Funded by the greedy rule"), _("Latitude"), _("Longitude"), _("Id in the .pb file")]


def csv_rows(result: Result, projects: list[Project]):
    yes, no = _("yes"), _("no")
    for r in rows(result, projects):
        p = r.project
        yield [p.number, p.title, p.area.name if p.area else "", p.category.name if p.category else "", r.cost,
               r.votes, r.score, yes if r.funded else no, yes if r.funded_by_greedy else no,
               p.latitude, p.longitude, p.source_ref]


def as_dict(process: Process, result: Result, projects: list[Project]) -> dict:
    """The JSON export: the result, how to compute it again, and every project."""
    return {
        "process": {"id": process.id, "title": process.title, "envelope": process.envelope},
        "rule": result.rule,
        "parameters": result.parameters,
        "tie_order": result.tie_order,
        "ballots_count": result.ballots_count,
        "ballots_hash": result.ballots_hash,
        "ballots_hash_method": "SHA-256 of the canonical ballot texts sorted as bytes, each followed by \\n",
        "ballots": result.details.get("ballots", {}),
        "total_cost": result.total_cost,
        "left": process.envelope - result.total_cost,
        "funded": [p.number for p in projects if p.id in set(result.funded)],
        "computed_at": result.computed_at.isoformat() if result.computed_at else None,
        "published_at": result.published_at.isoformat() if result.published_at else None,
        "parts": [{key: part[key] for key in ("name", "envelope", "funded", "greedy", "cost", "greedy_cost", "left",
                                              "voters", "tie_order") if key in part}
                  | ({"comparison": part["comparison"]} if "comparison" in part else {})
                  for part in result.details.get("parts", [])],
        "projects": [
            {"number": r.project.number, "title": r.project.title, "source_ref": r.project.source_ref,
             "area": r.project.area.name if r.project.area else None,
             "category": r.project.category.name if r.project.category else None,
             "cost": r.cost, "votes": r.votes, "score": r.score, "funded": r.funded,
             "funded_by_greedy": r.funded_by_greedy,
             "latitude": r.project.latitude, "longitude": r.project.longitude}
            for r in rows(result, projects)
        ],
    }


def _ids(projects: list[Project]) -> dict[int, str]:
    refs = [p.source_ref for p in projects]
    if all(refs) and len(set(refs)) == len(refs):
        return {p.number: p.source_ref for p in projects}
    return {p.number: str(p.number) for p in projects}


def pabulib_file(process: Process, result: Result, projects: list[Project]) -> pabulib.PabulibFile:
    """The budget as a Pabulib file (see the module's doc)."""
    points = process.ballot_kind == POINTS
    ids = _ids(projects)
    texts = sorted(read_ballots(process).texts, key=str.encode)
    figures = {r.project.number: r for r in rows(result, projects)}
    meta = {
        "description": process.title,
        "country": "France",
        "unit": process.space.title,
        "instance": str((result.computed_at or process.created_at).year),
        "num_projects": str(len(projects)),
        "num_votes": str(len(texts)),
        "budget": str(process.envelope),
        "vote_type": "cumulative" if points else "approval",
        "rule": result.rule,
        "currency": "EUR",
        "language": "fr",
        "tie_seed": process.tie_seed,
        "ballots_hash": result.ballots_hash,
    }
    if process.min_choices:
        meta["min_length"] = str(process.min_choices)
    if process.max_choices:
        meta["max_length"] = str(process.max_choices)
    if points and process.max_points_per_project:
        meta["max_points"] = str(process.max_points_per_project)
    if points and process.max_points:
        meta["max_sum_points"] = str(process.max_points)
    pb = pabulib.PabulibFile(meta=meta)
    pb.project_columns = ["project_id", "cost", "votes", "score", "name", "category", "district", "latitude",
                          "longitude", "selected"]
    for p in projects:
        r = figures.get(p.number)
        pb.projects.append(pabulib.Row(0, {
            "project_id": ids[p.number], "cost": str(p.vote_cost), "votes": str(r.votes if r else 0),
            "score": str(r.score if r else 0), "name": " ".join(p.title.split()),
            "category": p.category.name if p.category else "", "district": p.area.name if p.area else "",
            "latitude": "" if p.latitude is None else repr(p.latitude),
            "longitude": "" if p.longitude is None else repr(p.longitude),
            "selected": "1" if r and r.funded else "0"}))
    pb.vote_columns = ["voter_id", "vote", "points"] if points else ["voter_id", "vote"]
    for k, text in enumerate(texts, 1):
        content = ballot_text.deserialise(text)
        values = {"voter_id": str(k), "vote": ",".join(ids[n] for n in sorted(content))}
        if points:
            values["points"] = ",".join(str(content[n]) for n in sorted(content))
        pb.votes.append(pabulib.Row(0, values))
    return pb


def pb_text(process: Process, result: Result, projects: list[Project]) -> str:
    return pabulib.dumps(pabulib_file(process, result, projects))
