// Draws the map of a page holding #needs-map (templates/needs/_map.html): the outlines of
// the commune's neighbourhoods, then the needs' markers, over the background tiles when a
// tile server answers. When none does (a village hall without internet), the map says so
// and the outlines and markers stay: they come from this site. The page works without it.
(function () {
  "use strict";

  function json(url) {
    return fetch(url, {headers: {Accept: "application/geo+json"}})
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  function start() {
    var el = document.getElementById("needs-map");
    if (!el || typeof L === "undefined") { return; }
    var t = JSON.parse(el.dataset.labels || "{}");
    var status = document.getElementById("needs-map-status");
    function say(message) {
      if (status && message && status.textContent !== message) { status.textContent = message; status.hidden = false; }
    }

    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var hasCentre = !isNaN(lat) && !isNaN(lon);
    var point = el.dataset.pointLat ? [parseFloat(el.dataset.pointLat), parseFloat(el.dataset.pointLon)] : null;
    var map = L.map(el, {zoomControl: false});
    if (point) { map.setView(point, 16); } else { map.setView(hasCentre ? [lat, lon] : [46.6, 2.4], hasCentre ? 13 : 5); }
    L.control.zoom({zoomInTitle: t.zoomIn, zoomOutTitle: t.zoomOut}).addTo(map);
    map.attributionControl.setPrefix(t.prefix);

    if (el.dataset.tiles) {
      var loaded = false;
      L.tileLayer(el.dataset.tiles, {maxZoom: 19, attribution: t.attribution})
        .on("tileload", function () {
          loaded = true;
          if (status) { status.hidden = true; status.textContent = ""; }
        })
        .on("tileerror", function () { if (!loaded) { say(t.offline); } })
        .addTo(map);
    } else {
      say(t.noTiles);
    }

    // Under the markers: the commune's outline, then each neighbourhood's with its name.
    var outlines = L.layerGroup().addTo(map);
    if (el.dataset.outlines) {
      json(el.dataset.outlines).then(function (data) {
        if (!data) { return; }
        L.geoJSON(data, {
          interactive: false,
          style: function (f) {
            return f.properties.kind === "commune"
              ? {className: "needs-outline-commune", color: "#1d4f91", weight: 2, dashArray: "6 4", fillOpacity: 0.03}
              : {className: "needs-outline-neighbourhood", color: "#6b3fa0", weight: 2, fillOpacity: 0.12};
          },
          onEachFeature: function (f, layer) {
            if (f.properties.name) {
              layer.bindTooltip(f.properties.name, {permanent: true, direction: "center", className: "needs-outline-name"});
            }
          }
        }).addTo(outlines);
        // Without a need to centre on, the commune's outline frames the map.
        var commune = data.features.filter(function (f) { return f.properties.kind === "commune"; });
        if (!point && commune.length) { map.fitBounds(L.geoJSON(commune[0]).getBounds(), {padding: [8, 8]}); }
      }).catch(function () { /* the list stays */ });
    }

    if (point) {
      L.marker(point, {alt: el.dataset.pointTitle, title: el.dataset.pointTitle, keyboard: false}).addTo(map);
    }
    if (el.dataset.geojson) {
      json(el.dataset.geojson).then(function (data) {
        if (!data) { return; }
        var layer = L.geoJSON(data, {
          // Each marker is named by its need: a screen reader reads the title.
          pointToLayer: function (f, latlng) {
            return L.marker(latlng, {alt: f.properties.title, title: f.properties.title});
          },
          onEachFeature: function (f, m) {
            var a = document.createElement("a");
            a.href = el.dataset.needUrl + f.properties.id; a.textContent = f.properties.title;
            m.bindPopup(a);
          }
        }).addTo(map);
        if (!hasCentre && !el.dataset.outlines && data.features.length) { map.fitBounds(layer.getBounds()); }
      }).catch(function () { /* the list stays */ });
    }
    if (el.dataset.pick) {
      var marker = null, latField = document.getElementById("latitude"),
          lonField = document.getElementById("longitude");
      var place = function (latlng) {
        if (marker) { marker.setLatLng(latlng); } else {
          marker = L.marker(latlng, {alt: t.picked, title: t.picked, keyboard: false}).addTo(map);
        }
      };
      // The form drawn again after a refusal: the place typed is on the map.
      var typed = [parseFloat(latField.value.replace(",", ".")), parseFloat(lonField.value.replace(",", "."))];
      if (!isNaN(typed[0]) && !isNaN(typed[1]) && Math.abs(typed[0]) <= 90 && Math.abs(typed[1]) <= 180) {
        place(typed);
      }
      map.on("click", function (e) {
        latField.value = e.latlng.lat.toFixed(6); lonField.value = e.latlng.lng.toFixed(6);
        place(e.latlng);
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
