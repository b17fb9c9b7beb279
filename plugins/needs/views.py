"""Pages of the needs map, under /communes/<slug>/besoins. Every page works without
JavaScript and runs a bounded number of queries whatever the number of needs."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request, send_from_directory,
                   url_for)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from convergence import audit
from convergence.extensions import db
from convergence.features import is_active
from convergence.loaders import commune_or_404
from convergence.assemblies import agenda
from convergence.models import Assembly, Circle
from convergence.participation import comments, history, links
from convergence.participation.refusal import AlreadySet
from convergence.permissions import can, require
from convergence.web import replay
from convergence.web.csv_export import csv_response
from convergence.web.errors import abort_with
from convergence.web.forms import require_confirmed_post
from convergence.web.inputs import whole_number
from convergence.web.links import absolute_url

from . import api, services
from .models import STATUSES, URGENCIES, Category, Community, Need

bp = Blueprint("needs", __name__, template_folder="templates", static_folder="static",
               static_url_path="/besoins/static")

PER_PAGE = 50
MAP_LIMIT = 2000
IMPORT_MAX_LINES = 2000
CSV_COLUMNS = ["category", "title", "description", "community", "neighbourhood", "latitude", "longitude",
               "urgency"]
LEAFLET_FILES = {"leaflet.js", "leaflet.css"}


# -- loading ----------------------------------------------------------------------------

def _active_commune(slug):
    """The commune of the URL, 404 when absent or when needs are switched off there."""
    commune = commune_or_404(slug)
    if not is_active(commune, "needs"):
        abort(404)
    return commune


def _commune(slug):
    return _active_commune(slug)  # its default lists exist since needs was switched on there


def _need(commune, need_id) -> Need:
    need = db.session.scalar(db.select(Need).where(Need.id == need_id, Need.commune_id == commune.id))
    if need is None:
        abort(404)
    return need


def _filters():
    args = request.args
    filters = {key: args.get(key, "").strip() for key in ("category", "neighbourhood", "community", "status")}
    if filters["neighbourhood"] and whole_number(filters["neighbourhood"]) is None:
        abort_with(400, _("Unknown neighbourhood."))
    return filters


# -- list, map, report ------------------------------------------------------------------

@bp.route("/communes/<slug>/besoins")
def index(slug):
    commune = _commune(slug)
    filters = _filters()
    page = whole_number(request.args.get("page"), low=1) or 1
    query = api.filtered_query(commune.id, **filters)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    needs = db.session.scalars(
        query.options(db.joinedload(Need.category), db.joinedload(Need.community),
                      db.joinedload(Need.neighbourhood))
        # Newest first by id (ids follow creation): walks the primary key, no sort of 100k rows.
        .order_by(Need.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    categories, communities, neighbourhoods = services.lists(commune)
    pages = max(math.ceil(total / PER_PAGE), 1)
    geo_url = url_for("needs.map_data", slug=slug, **{k: v for k, v in filters.items() if v})
    return render_template("needs/index.html", commune=commune, needs=needs, filters=filters, page=page,
                           pages=pages, total=total, categories=categories, communities=communities,
                           neighbourhoods=neighbourhoods, geo_url=geo_url, **_labels())


def _labels():
    return {"status_labels": services.STATUS_LABELS, "urgency_labels": services.URGENCY_LABELS}


def _features(commune_id, filters, limit):
    rows = db.session.execute(
        api.filtered_query(commune_id, **filters).with_only_columns(
            Need.id, Need.title, Need.status, Need.urgency, Need.latitude, Need.longitude, Need.supports_count,
            Category.code, Category.label)
        .join(Category, Category.id == Need.category_id)
        .where(Need.latitude.is_not(None)).order_by(Need.id.desc()).limit(limit)
    ).all()
    return [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [r.longitude, r.latitude]},
        "properties": {"id": r.id, "title": r.title, "status": r.status, "urgency": r.urgency,
                       "supports": r.supports_count, "category": r.code, "category_label": r.label},
    } for r in rows]


@bp.route("/communes/<slug>/besoins/carte.geojson")
def map_data(slug):
    """The markers of the filtered needs: the most recent MAP_LIMIT with a place, and only
    what a marker needs (no author, no comment); the page's JS builds links from the id."""
    commune = _active_commune(slug)
    rows = db.session.execute(
        api.filtered_query(commune.id, **_filters()).with_only_columns(
            Need.id, Need.title, Need.status, Need.latitude, Need.longitude, Need.supports_count)
        .where(Need.latitude.is_not(None)).order_by(Need.id.desc()).limit(MAP_LIMIT)
    ).all()
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                 "properties": {"id": id_, "title": title, "status": status, "supports": supports}}
                for id_, title, status, lat, lon, supports in rows]
    return Response(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
                    mimetype="application/geo+json")


@bp.route("/besoins/leaflet/<path:filename>")
def leaflet(filename):
    # Only the files the map needs, never the rest of the package.
    if filename not in LEAFLET_FILES and not (filename.startswith("images/") and filename.count("/") == 1
                                              and filename.endswith(".png")):
        abort(404)
    import xstatic.pkg.leaflet as xl

    return send_from_directory(Path(xl.BASE_DIR), filename, max_age=86400)


@bp.route("/communes/<slug>/besoins/signaler", methods=["GET", "POST"])
@login_required
def report(slug):
    commune = _commune(slug)
    require("needs.report", commune)
    lookups = services.lists(commune)
    data, errors = request.form, {}
    if request.method == "POST":
        require_confirmed_post()
        values, errors = services.validate(commune, data, lookups)
        if not errors:
            need = Need(commune_id=commune.id, author_id=current_user.id,
                        show_author=data.get("show_author") == "y", status="reported", **values)
            services.record_reported([need], current_user)
            replay.claim(url_for("needs.show", slug=slug, need_id=need.id))
            db.session.commit()
            flash(_("Thank you: your need has been reported."), "success")
            return redirect(url_for("needs.show", slug=slug, need_id=need.id))
    categories, communities, neighbourhoods = lookups
    return render_template("needs/report.html", commune=commune, data=data, errors=errors,
                           categories=categories, communities=communities, neighbourhoods=neighbourhoods,
                           urgencies=URGENCIES, **_labels()), (422 if errors else 200)


# -- one need -----------------------------------------------------------------------------

@bp.route("/communes/<slug>/besoins/<int:need_id>")
def show(slug, need_id):
    commune = _active_commune(slug)
    need = _need(commune, need_id)
    if need.merged_into_id is not None:
        return redirect(url_for("needs.show", slug=slug, need_id=need.merged_into_id), 301)
    supported = current_user.is_authenticated and services.has_supported(need, current_user)
    facilitate = can("needs.facilitate", commune)
    circles = []
    if facilitate:
        circles = db.session.scalars(db.select(Circle).where(Circle.commune_id == commune.id)
                                     .order_by(Circle.name)).all()
    return render_template("needs/show.html", commune=commune, need=need,
                           threads=comments.threads(need.subject_id), history=history.of(need.subject_id),
                           links=links.linked(need.subject_id), supported=supported, facilitate=facilitate, circles=circles,
                           statuses=STATUSES, **_labels())


def _need_for_post(slug, need_id):
    commune = _active_commune(slug)
    need = _need(commune, need_id)
    require_confirmed_post()
    return commune, need


@bp.route("/communes/<slug>/besoins/<int:need_id>/soutien", methods=["POST"])
@login_required
def support(slug, need_id):
    commune, need = _need_for_post(slug, need_id)
    require("needs.support", need)
    # The button says what it sets, so a second press (or a replay) changes nothing.
    action = request.form.get("action")
    if action not in ("support", "withdraw"):
        abort_with(400, _("Say whether you support this need or withdraw your support."))
    back = redirect(url_for("needs.show", slug=slug, need_id=need.id))
    try:
        if action == "withdraw":
            services.withdraw_support(need, current_user)
            message = _("Your support has been withdrawn.")
        else:
            services.add_support(need, current_user)
            message = _("Your support has been counted.")
    except AlreadySet as already:  # counted already, by this press's twin or an earlier one
        db.session.rollback()
        flash(already.message, "info")
        return back
    db.session.commit()
    flash(message, "success")
    return back


@bp.route("/communes/<slug>/besoins/<int:need_id>/commentaires", methods=["POST"])
@login_required
def comment(slug, need_id):
    commune, need = _need_for_post(slug, need_id)
    require("needs.comment", need)
    error = services.add_comment(need, current_user, request.form.get("body"))
    if error:
        abort_with(422, error)
    replay.claim(url_for("needs.show", slug=slug, need_id=need.id) + "#commentaires")
    db.session.commit()
    return redirect(url_for("needs.show", slug=slug, need_id=need.id) + "#commentaires")


@bp.route("/communes/<slug>/besoins/<int:need_id>/statut", methods=["POST"])
@login_required
def set_status(slug, need_id):
    commune, need = _need_for_post(slug, need_id)
    require("needs.facilitate", commune)
    error = services.set_status(need, request.form.get("status"), request.form.get("reason"), current_user)
    if error:
        abort_with(422, error)
    audit.record("needs.status", commune_id=commune.id, target=f"need:{need.id}", status=need.status)
    replay.claim(url_for("needs.show", slug=slug, need_id=need.id))
    db.session.commit()
    flash(_("The status has been changed."), "success")
    return redirect(url_for("needs.show", slug=slug, need_id=need.id))


@bp.route("/communes/<slug>/besoins/<int:need_id>/cercle", methods=["POST"])
@login_required
def attach_circle(slug, need_id):
    commune, need = _need_for_post(slug, need_id)
    require("needs.facilitate", commune)
    raw = request.form.get("circle_id", "")
    if not raw:
        need.circle_id = None
    else:
        number = whole_number(raw)
        circle = db.session.get(Circle, number) if number is not None else None
        if circle is None or circle.commune_id != commune.id:
            abort_with(422, _("Unknown circle."))
        need.circle_id = circle.id
    db.session.commit()
    flash(_("The circle has been saved."), "success")
    return redirect(url_for("needs.show", slug=slug, need_id=need.id))


@bp.route("/communes/<slug>/besoins/<int:need_id>/fusion", methods=["POST"])
@login_required
def merge(slug, need_id):
    commune, need = _need_for_post(slug, need_id)
    require("needs.facilitate", commune)
    number = whole_number(request.form.get("target_id", "").strip().lstrip("#"))
    target = db.session.scalar(db.select(Need).where(Need.id == number, Need.commune_id == commune.id)) \
        if number is not None else None
    if target is None:
        abort_with(422, _("Unknown need to merge into."))
    error = services.merge(need, target, current_user)
    if error:
        abort_with(422, error)
    audit.record("needs.merge", commune_id=commune.id, target=f"need:{need.id}", into=target.id)
    db.session.commit()
    flash(_("The duplicate has been merged."), "success")
    return redirect(url_for("needs.show", slug=slug, need_id=target.id))


# -- synthesis ----------------------------------------------------------------------------

def synthesis_rows(commune_id):
    """(category_id, neighbourhood_id, needs, supports) in one grouped query."""
    return db.session.execute(
        db.select(Need.category_id, Need.neighbourhood_id, db.func.count(Need.id),
                  db.func.coalesce(db.func.sum(Need.supports_count), 0))
        .where(Need.commune_id == commune_id, Need.merged_into_id.is_(None))
        .group_by(Need.category_id, Need.neighbourhood_id)
    ).all()


def _synthesis(commune):
    categories, _communities, neighbourhoods = services.lists(commune)
    cells = {(c, n): (count, supports) for c, n, count, supports in synthesis_rows(commune.id)}
    columns = [(n.id, n.name) for n in neighbourhoods] + [(None, _("No neighbourhood"))]
    table = []
    for category in categories:
        row = [cells.get((category.id, n_id), (0, 0)) for n_id, _name in columns]
        table.append((category, row, (sum(r[0] for r in row), sum(r[1] for r in row))))
    return columns, table


@bp.route("/communes/<slug>/besoins/synthese")
def synthesis(slug):
    commune = _commune(slug)
    columns, table = _synthesis(commune)
    assemblies = []
    if can("needs.facilitate", commune):
        assemblies = db.session.scalars(db.select(Assembly).where(
            Assembly.commune_id == commune.id, Assembly.status != "closed").order_by(Assembly.starts_at)).all()
    return render_template("needs/synthesis.html", commune=commune, columns=columns, table=table,
                           assemblies=assemblies)


@bp.route("/communes/<slug>/besoins/synthese/ordre-du-jour", methods=["POST"])
@login_required
def synthesis_to_agenda(slug):
    commune = _commune(slug)
    require_confirmed_post()
    require("needs.facilitate", commune)
    raw = request.form.get("assembly_id", "")
    number = whole_number(raw)
    assembly = db.session.get(Assembly, number) if number is not None else None
    if assembly is None or assembly.commune_id != commune.id:
        abort_with(422, _("Choose an assembly of the commune."))
    columns, table = _synthesis(commune)
    lines = [f"- {category.label} : {total[0]} / {total[1]}" for category, _row, total in table if total[0]]
    link = absolute_url("needs.synthesis", slug=slug)
    agenda.append_item(assembly.id, kind="pleniere", title="Synthèse des besoins",
                       description="\n".join(lines + ["", link]))
    audit.record("needs.agenda", commune_id=commune.id, target=f"assembly:{assembly.id}")
    replay.claim(url_for("assemblies.show", assembly_id=assembly.id))
    db.session.commit()
    flash(_("The synthesis has been put on the agenda."), "success")
    return redirect(url_for("assemblies.show", assembly_id=assembly.id))


# -- lists of categories and communities --------------------------------------------------

@bp.route("/communes/<slug>/besoins/listes", methods=["GET", "POST"])
@login_required
def edit_lists(slug):
    commune = _commune(slug)
    require("needs.facilitate", commune)
    status = 200
    if request.method == "POST":
        require_confirmed_post()
        model = {"category": Category, "community": Community}.get(request.form.get("kind"))
        label = request.form.get("label", "").strip()
        code = request.form.get("code", "").strip().lower()
        if model is None:
            abort_with(400, _("Unknown list."))
        if not label or len(label) > 120 or not code or len(code) > 40 or not code.replace("_", "").isalnum():
            abort_with(422, _("Give a label (120 characters at most) and a code made of letters, digits and _."))
        item = db.session.scalar(db.select(model).where(model.commune_id == commune.id, model.code == code))
        if item is None:
            db.session.add(model(commune_id=commune.id, code=code, label=label))
        else:
            item.label = label
        db.session.commit()
        flash(_("The list has been saved."), "success")
        return redirect(url_for("needs.edit_lists", slug=slug))
    categories, communities, _n = services.lists(commune)
    return render_template("needs/lists.html", commune=commune, categories=categories,
                           communities=communities), status


# -- open data ----------------------------------------------------------------------------

@bp.route("/communes/<slug>/besoins/export.csv")
def export_csv(slug):
    commune = _commune(slug)
    rows = db.session.execute(
        api.filtered_query(commune.id, **_filters()).with_only_columns(
            Need.id, Category.code, Need.title, Need.description, Community.code, Need.neighbourhood_id,
            Need.latitude, Need.longitude, Need.urgency, Need.status, Need.supports_count, Need.created_at)
        .join(Category, Category.id == Need.category_id)
        .outerjoin(Community, Community.id == Need.community_id).order_by(Need.id)
    ).all()
    names = {n.id: n.name for n in services.lists(commune)[2]}
    return csv_response(
        ["id"] + CSV_COLUMNS + ["status", "supports", "created_at"],
        ([r[0], r[1], r[2], r[3], r[4], names.get(r[5]), r[6], r[7], r[8], r[9], r[10],
          r[11].isoformat(timespec="seconds")] for r in rows),
        f"besoins-{slug}.csv")


@bp.route("/communes/<slug>/besoins/export.geojson")
def export_geojson(slug):
    commune = _active_commune(slug)
    features = _features(commune.id, _filters(), None)
    return Response(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                    mimetype="application/geo+json",
                    headers={"Content-Disposition": f'attachment; filename="besoins-{slug}.geojson"'})


@bp.route("/communes/<slug>/besoins/import", methods=["GET", "POST"])
@login_required
def import_csv(slug):
    commune = _commune(slug)
    require("needs.facilitate", commune)
    problems, status = [], 200
    if request.method == "POST":
        require_confirmed_post()
        problems, needs = parse_import(commune, request.files.get("file"))
        if problems:
            status = 422
        else:
            services.record_reported(needs, current_user)
            audit.record("needs.import", commune_id=commune.id, target=f"commune:{commune.id}", count=len(needs))
            replay.claim(url_for("needs.index", slug=slug))
            db.session.commit()
            flash(ngettext("%(num)d need imported.", "%(num)d needs imported.", len(needs)), "success")
            return redirect(url_for("needs.index", slug=slug))
    return render_template("needs/import.html", commune=commune, problems=problems,
                           columns=CSV_COLUMNS), status


def parse_import(commune, upload) -> tuple[list[tuple[int, str]], list[Need]]:
    """All lines checked before anything is saved: (line, problem) pairs, or the needs."""
    if upload is None or not upload.filename:
        return [(0, _("Choose a CSV file."))], []
    raw = upload.read(2_000_001)
    if len(raw) > 2_000_000:
        return [(0, _("The file is too large (2 MB at most)."))], []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [(0, _("The file is not UTF-8 text."))], []
    try:
        sample = text[:4096]
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        return [(0, _("The file is empty."))], []
    missing = [c for c in ("category", "title") if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        return [(1, _("Expected columns: %(cols)s.", cols=", ".join(CSV_COLUMNS)))], []
    lookups = services.lists(commune)
    problems, needs = [], []
    try:
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                problems.append((number, _("%(n)d cells instead of %(m)d.", n=len(row), m=len(header))))
                continue
            if len(needs) + len(problems) >= IMPORT_MAX_LINES:
                problems.append((number, _("Too many lines (%(max)d at most).", max=IMPORT_MAX_LINES)))
                break
            values, errors = services.validate(commune, dict(zip(header, row)), lookups, by_code=True)
            if errors:
                problems.append((number, " ".join(errors.values())))
            else:
                needs.append(Need(commune_id=commune.id, status="reported", show_author=False, **values))
    except csv.Error as error:
        problems.append((reader.line_num, _("Malformed CSV: %(error)s", error=str(error))))
    if not needs and not problems:
        problems.append((0, _("The file has no needs.")))
    return problems, ([] if problems else needs)
