"""The commune's needs as open data (CSV and GeoJSON, listed on its « Données ouvertes »
page): no author, no comment, nothing personal."""

from __future__ import annotations

from convergence.extensions import db

from . import lists
from .csv_import import COLUMNS
from .listing import filtered_query
from .models import Category, Community, Need

CSV_HEADER = ["id"] + COLUMNS + ["status", "supports", "created_at"]


def csv_rows(commune, filters: dict):
    rows = db.session.execute(
        filtered_query(commune.id, **filters).with_only_columns(
            Need.id, Category.code, Need.title, Need.description, Community.code, Need.neighbourhood_id,
            Need.latitude, Need.longitude, Need.urgency, Need.status, Need.supports_count, Need.created_at)
        .join(Category, Category.id == Need.category_id)
        .outerjoin(Community, Community.id == Need.community_id).order_by(Need.id)
    ).all()
    names = {n.id: n.name for n in lists.of(commune).neighbourhoods}
    return ([r[0], r[1], r[2], r[3], r[4], names.get(r[5]), r[6], r[7], r[8], r[9], r[10],
             r[11].isoformat(timespec="seconds")] for r in rows)


def geojson(commune, filters: dict) -> dict:
    rows = db.session.execute(
        filtered_query(commune.id, **filters).with_only_columns(
            Need.id, Need.title, Need.status, Need.urgency, Need.latitude, Need.longitude, Need.supports_count,
            Category.code, Category.label)
        .join(Category, Category.id == Need.category_id)
        .where(Need.latitude.is_not(None)).order_by(Need.id.desc())
    ).all()
    return {"type": "FeatureCollection", "features": [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [r.longitude, r.latitude]},
        "properties": {"id": r.id, "title": r.title, "status": r.status, "urgency": r.urgency,
                       "supports": r.supports_count, "category": r.code, "category_label": r.label},
    } for r in rows]}
