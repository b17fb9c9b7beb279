"""The map's data: the outlines drawn under the markers (the neighbourhoods, from the
places of their needs), the need page's small map, and the list read without JavaScript."""

from __future__ import annotations

import json
import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from plugins.needs import outlines
from tests.fixtures import count_queries, visible_text

# Points of a commune: within a few km of a centre, anywhere on the globe but the poles.
centres = st.tuples(st.floats(-179, 179), st.floats(-70, 70))
offsets = st.lists(st.tuples(st.floats(-0.05, 0.05), st.floats(-0.05, 0.05)), min_size=1, max_size=40)


def metres(a, b) -> float:
    lat = math.radians((a[1] + b[1]) / 2)
    return math.hypot((a[0] - b[0]) * math.cos(lat), a[1] - b[1]) * outlines.METRES_PER_DEGREE


@settings(max_examples=200, deadline=None)
@given(centre=centres, offsets=offsets)
def test_an_outline_holds_every_point_with_its_margin(centre, offsets):
    points = [(centre[0] + dx, centre[1] + dy) for dx, dy in offsets]
    ring = outlines.outline(points)
    assert ring[0] == ring[-1] and len(ring) >= 4
    for point in points:
        assert outlines.contains(ring, point)
        # The margin: every vertex of the outline is farther than it from ... at least one
        # point, and the outline reaches no farther than the margin's polygon around them.
        nearest = min(metres(point, vertex) for vertex in ring[:-1])
        assert nearest >= outlines.MARGIN_M * 0.99
    for vertex in ring[:-1]:
        assert min(metres(vertex, p) for p in points) <= outlines.MARGIN_M / math.cos(math.pi / outlines.SIDES) * 1.01


@given(st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), max_size=30))
def test_the_hull_is_convex_counter_clockwise_and_holds_the_points(points):
    hull = outlines.convex_hull(points)
    if len(set(points)) >= 3 and len(hull) >= 3:
        ring = hull + hull[:1]
        for a, b, c in zip(ring, ring[1:], ring[2:] + ring[1:2]):
            assert outlines._cross(a, b, c) > 0
        assert all(outlines.contains(ring, p) for p in points)
    assert set(hull) <= set(points)


def _feature(data, kind, name=None):
    return [f for f in data["features"] if f["properties"]["kind"] == kind
            and (name is None or f["properties"].get("name") == name)]


def test_the_outlines_name_each_neighbourhood_around_its_needs(client, place):
    north = [(45.010, 5.010), (45.012, 5.015), (45.015, 5.011)]
    for i, (lat, lon) in enumerate(north):
        place.need(f"Nord {i}", neighbourhood=place.north, latitude=lat, longitude=lon)
    place.need("Sud", neighbourhood=place.south, latitude=44.99, longitude=4.99)
    place.need("Sans lieu", neighbourhood=place.south)
    merged = place.need("Fusionné", neighbourhood=place.south, latitude=44.95, longitude=4.95)
    merged.merged_into_id = merged.id - 1
    from convergence.extensions import db

    db.session.commit()
    data = json.loads(client.get(place.base + "/quartiers.geojson").data)
    (commune,) = _feature(data, "commune")
    (nord,) = _feature(data, "neighbourhood", "Nord")
    (sud,) = _feature(data, "neighbourhood", "Sud")
    assert (nord["properties"]["needs"], sud["properties"]["needs"]) == (3, 1)  # placed, not merged
    ring = [tuple(p) for p in nord["geometry"]["coordinates"][0]]
    assert all(outlines.contains(ring, (lon, lat)) for lat, lon in north)
    assert not outlines.contains(ring, (4.99, 44.99))
    whole = [tuple(p) for p in commune["geometry"]["coordinates"][0]]
    assert all(outlines.contains(whole, (lon, lat)) for lat, lon in north + [(44.99, 4.99), (45.0, 5.0)])
    assert not outlines.contains(whole, (4.95, 44.95))  # the merged need is not on the map


def test_a_commune_without_placed_needs_is_a_disc_around_its_centre(client, place):
    data = json.loads(client.get(place.base + "/quartiers.geojson").data)
    (commune,) = data["features"]
    ring = [tuple(p) for p in commune["geometry"]["coordinates"][0]]
    assert outlines.contains(ring, (5.0, 45.0))
    assert all(abs(metres(v, (5.0, 45.0)) - outlines.COMMUNE_RADIUS_M) < outlines.COMMUNE_RADIUS_M * 0.1
               for v in ring[:-1])


def test_the_outlines_cost_the_same_queries_whatever_the_needs(client, place, app):
    def cost():
        with count_queries(app) as statements:
            assert client.get(place.base + "/quartiers.geojson").status_code == 200
        return len(statements)

    counts = []
    for n in (1, 30):
        for i in range(n):
            place.need(f"B{n}-{i}", neighbourhood=place.north if i % 2 else place.south, latitude=45 + i / 1000,
                       longitude=5.0)
        client.get(place.base + "/quartiers.geojson")  # warm-up: the test's objects expired by its commits
        counts.append(cost())
    assert counts[0] == counts[1]


def test_the_pages_name_the_map_in_french_and_the_markers_by_their_need(client, place):
    need = place.need("Fuite « rue Haute »", neighbourhood=place.north, latitude=45.01, longitude=5.01)
    page = client.get(place.base).get_data(as_text=True)
    labels = json.loads(re.search(r"data-labels='([^']*)'", page).group(1).replace("&#34;", '"'))
    assert (labels["zoomIn"], labels["zoomOut"]) == ("Zoom avant", "Zoom arrière")
    assert "OpenStreetMap" in labels["attribution"] and "contributrices" in labels["attribution"]
    assert "injoignable" in labels["offline"]
    assert f'data-outlines="/communes/{place.commune.slug}/besoins/quartiers.geojson"' in page
    markers = json.loads(client.get(place.base + "/carte.geojson").data)
    assert [f["properties"]["title"] for f in markers["features"]] == [need.title]  # the marker's name (JS)


def test_a_placed_need_shows_its_small_map_and_an_unplaced_one_none(client, place):
    placed = place.need("Banc cassé", neighbourhood=place.north, latitude=45.01, longitude=5.02)
    unplaced = place.need("Sans lieu")
    page = client.get(f"{place.base}/{placed.id}").get_data(as_text=True)
    assert 'data-point-lat="45.01" data-point-lon="5.02" data-point-title="Banc cassé"' in page
    assert "leaflet.js" in page and "needs-map-small" in page
    assert "Lieu : Nord, 45.01, 5.02" in visible_text(client.get(f"{place.base}/{placed.id}"))
    page = client.get(f"{place.base}/{unplaced.id}").get_data(as_text=True)
    assert 'id="needs-map"' not in page and "leaflet.js" not in page


def test_without_javascript_the_list_says_where_each_need_is(client, place):
    place.need("Fontaine", neighbourhood=place.north, latitude=45.01, longitude=5.01)
    place.need("Toit", neighbourhood=place.south)
    place.need("Quelque part")
    text = visible_text(client.get(place.base))
    assert "Fontaine" in text and "Quartier : Nord · sur la carte" in text
    assert "Toit" in text and "Quartier : Sud" in text and "Quartier : Sud · sur la carte" not in text
    assert re.search(r"Quelque part .*Sans quartier", text)
