"""Where needs are: a need's place (latitude, longitude) and its checks, the markers of the
map and the outlines drawn under them (see outlines.py)."""

from __future__ import annotations

import math

from flask_babel import gettext as _

from convergence.extensions import db

from . import outlines
from .listing import filtered_query
from .models import Need

MAX_DISTANCE_KM = 30
#: Markers on the map, and points its outlines are drawn from: the most recent with a place.
MAP_LIMIT = 2000


def distance_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def coordinate(text) -> float | None:
    """A latitude or longitude as people type it (« 48,76 » too); None when empty;
    ValueError when it is not a finite number."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def problem(commune, latitude, longitude) -> str | None:
    """What is wrong with a need's place as typed, or None: both or neither, on the globe,
    near the commune when it has a centre."""
    try:
        lat, lon = coordinate(latitude), coordinate(longitude)
    except ValueError:
        return _("Latitude and longitude must be numbers.")
    if (lat is None) != (lon is None):
        return _("Give both latitude and longitude, or neither.")
    if lat is None:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return _("Latitude must be between -90 and 90, longitude between -180 and 180.")
    if commune.latitude is not None and commune.longitude is not None and distance_km(
            lat, lon, commune.latitude, commune.longitude) > MAX_DISTANCE_KM:
        return _("This point is more than %(km)d km from the commune.", km=MAX_DISTANCE_KM)
    return None


def markers(commune, filters: dict) -> dict:
    """The markers of the filtered needs: the most recent MAP_LIMIT with a place, and only
    what a marker needs (no author, no comment); the page's JS builds links from the id."""
    rows = db.session.execute(
        filtered_query(commune.id, **filters).with_only_columns(
            Need.id, Need.title, Need.status, Need.latitude, Need.longitude, Need.supports_count)
        .where(Need.latitude.is_not(None)).order_by(Need.id.desc()).limit(MAP_LIMIT)
    ).all()
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
         "properties": {"id": id_, "title": title, "status": status, "supports": supports}}
        for id_, title, status, lat, lon, supports in rows]}


def neighbourhoods(commune, names: dict[int, str]) -> dict:
    """The commune's outline and its neighbourhoods', drawn from the places of its needs
    (the same MAP_LIMIT most recent as the markers, whatever the filters): one query."""
    rows = db.session.execute(
        filtered_query(commune.id).with_only_columns(Need.neighbourhood_id, Need.longitude, Need.latitude)
        .where(Need.latitude.is_not(None)).order_by(Need.id.desc()).limit(MAP_LIMIT)
    ).all()
    centre = (commune.longitude, commune.latitude) if commune.latitude is not None \
        and commune.longitude is not None else None
    return {"type": "FeatureCollection",
            "features": outlines.neighbourhood_outlines([tuple(r) for r in rows], names, centre)}
