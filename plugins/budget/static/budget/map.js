// The small map of a project (templates/budget/project_map.html): its point on the
// project's page; on the submission form a tap puts the point and fills the latitude and
// longitude fields, which stay the way to give it without JavaScript or without a map.
// Background tiles when a tile server answers; otherwise the map says so, the point stays.
(function () {
  "use strict";

  function start() {
    var el = document.getElementById("budget-map");
    if (!el || typeof L === "undefined") { return; }
    var t = JSON.parse(el.dataset.labels || "{}");
    var status = document.getElementById("budget-map-status");
    function say(message) {
      if (status && message) { status.textContent = message; status.hidden = false; }
    }
    var latField = document.getElementById("latitude"), lonField = document.getElementById("longitude");
    function typed() {
      if (!latField || !lonField) { return null; }
      var p = [parseFloat(latField.value.replace(",", ".")), parseFloat(lonField.value.replace(",", "."))];
      return !isNaN(p[0]) && !isNaN(p[1]) && Math.abs(p[0]) <= 90 && Math.abs(p[1]) <= 180 ? p : null;
    }
    var point = el.dataset.pointLat ? [parseFloat(el.dataset.pointLat), parseFloat(el.dataset.pointLon)] : typed();
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var centre = point || (!isNaN(lat) && !isNaN(lon) ? [lat, lon] : [46.6, 2.4]);
    var map = L.map(el, {zoomControl: false}).setView(centre, point ? 16 : (isNaN(lat) ? 5 : 14));
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
    var marker = null;
    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); return; }
      marker = L.marker(latlng, {alt: t.point, title: t.point, keyboard: false}).addTo(map);
    }
    if (point) { place(point); }
    if (el.dataset.pick && latField && lonField) {
      map.on("click", function (e) {
        latField.value = e.latlng.lat.toFixed(6);
        lonField.value = e.latlng.lng.toFixed(6);
        place(e.latlng);
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
