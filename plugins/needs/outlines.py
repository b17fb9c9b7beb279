"""Outlines drawn on the map under the needs: each neighbourhood's, and the commune's.

The core knows a neighbourhood only by its name, so its outline is drawn from the places
of its needs: the convex hull of those points, each widened by a margin, so that a
neighbourhood with one need is a small disc and every point lies inside its outline.
This is what the map shows when no tile server is reachable (a village hall without
internet): the points over the shapes of the commune's neighbourhoods, not a blank box.

Pure logic (no Flask, no database): points are (longitude, latitude) pairs in degrees,
as in GeoJSON. Distances are small (a commune), so a degree of longitude is taken as
cos(latitude) times a degree of latitude around the points' mean latitude.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

Point = tuple[float, float]

METRES_PER_DEGREE = 111_320  # of latitude (of longitude at the equator)
MARGIN_M = 150  # around each need's point
COMMUNE_RADIUS_M = 1_500  # a commune without any located need: a disc around its centre
SIDES = 12  # of the polygon standing for a disc


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def convex_hull(points: Iterable[Point]) -> list[Point]:
    """The hull's vertices counter-clockwise, without collinear points (monotone chain):
    one point for a single point, two for points on a line."""
    unique = sorted(set(points))
    if len(unique) <= 2:
        return unique
    lower: list[Point] = []
    for p in unique:
        while len(lower) >= 2 and _cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[Point] = []
    for p in reversed(unique):
        while len(upper) >= 2 and _cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _disc(centre: Point, radius_m: float) -> list[Point]:
    """A polygon of SIDES vertices whose inscribed circle has ``radius_m``: every point
    within the radius lies inside it."""
    lon, lat = centre
    # The circumscribed polygon: its vertices lie a little farther than the radius.
    reach = radius_m / math.cos(math.pi / SIDES)
    dlat = reach / METRES_PER_DEGREE
    dlon = reach / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return [(lon + dlon * math.cos(2 * math.pi * k / SIDES), lat + dlat * math.sin(2 * math.pi * k / SIDES))
            for k in range(SIDES)]


def outline(points: Iterable[Point], margin_m: float = MARGIN_M) -> list[Point]:
    """A closed ring (first vertex repeated last, counter-clockwise) around every point,
    at least ``margin_m`` metres from each; [] without points."""
    # Widening the points' hull is widening them all: only its vertices need a disc.
    widened = [vertex for p in convex_hull(points) for vertex in _disc(p, margin_m)]
    hull = convex_hull(widened)
    return hull + hull[:1] if hull else []


def contains(ring: list[Point], point: Point) -> bool:
    """Whether ``point`` lies inside (or on) the convex, counter-clockwise ``ring``."""
    return all(_cross(a, b, point) >= -1e-12 for a, b in zip(ring, ring[1:]))


def neighbourhood_outlines(points: Iterable[tuple[int | None, float, float]], names: dict[int, str],
                           centre: Point | None) -> list[dict]:
    """GeoJSON features: the commune's outline (its needs' points and its centre), then
    one per named neighbourhood having located needs, from (neighbourhood id or None,
    longitude, latitude) triples."""
    by_neighbourhood: dict[int, list[Point]] = {}
    everything: list[Point] = []
    for neighbourhood_id, lon, lat in points:
        everything.append((lon, lat))
        if neighbourhood_id in names:
            by_neighbourhood.setdefault(neighbourhood_id, []).append((lon, lat))
    features = []
    if everything or centre is not None:
        ring = outline(everything + ([centre] if centre else []),
                       MARGIN_M * 2 if everything else COMMUNE_RADIUS_M)
        features.append(_polygon(ring, {"kind": "commune"}))
    for neighbourhood_id, where in sorted(by_neighbourhood.items(), key=lambda item: names[item[0]]):
        features.append(_polygon(outline(where), {"kind": "neighbourhood", "id": neighbourhood_id,
                                                  "name": names[neighbourhood_id], "needs": len(where)}))
    return features


def _polygon(ring: list[Point], properties: dict) -> dict:
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "Polygon", "coordinates": [[[round(lon, 6), round(lat, 6)] for lon, lat in ring]]}}
