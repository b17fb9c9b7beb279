// The map of the funded projects (templates/budget/results.html), drawn with Leaflet over
// the background tiles when a tile server answers; without one the markers stay on a plain
// background, and the page lists the same projects in words (it works without JavaScript).
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("budget-map");
    if (!el || typeof L === "undefined") { return; }
    var t = JSON.parse(el.dataset.labels || "{}");
    var status = document.getElementById("budget-map-status");
    function say(message) { if (status && message) { status.textContent = message; status.hidden = false; } }
    var map = L.map(el, {zoomControl: false}).setView([46.6, 2.4], 5);
    L.control.zoom({zoomInTitle: t.zoomIn, zoomOutTitle: t.zoomOut}).addTo(map);
    map.attributionControl.setPrefix(t.prefix);
    if (el.dataset.tiles) {
      var loaded = false;
      L.tileLayer(el.dataset.tiles, {maxZoom: 19, attribution: t.attribution})
        .on("tileload", function () { loaded = true; if (status) { status.hidden = true; } })
        .on("tileerror", function () { if (!loaded) { say(t.offline); } })
        .addTo(map);
    } else {
      say(t.noTiles);
    }
    fetch(el.dataset.geojson, {headers: {Accept: "application/geo+json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.features.length) { return; }
        var layer = L.geoJSON(data, {
          pointToLayer: function (f, latlng) {
            return L.circleMarker(latlng, {radius: 9, color: "#17594a", weight: 2, fillColor: "#b23c12", fillOpacity: 0.9});
          },
          onEachFeature: function (f, marker) {
            marker.bindTooltip(f.properties.number + ". " + f.properties.title);
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds(), {padding: [24, 24], maxZoom: 16});
      });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
