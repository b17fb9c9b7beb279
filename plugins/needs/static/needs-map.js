// Enhances a page holding #needs-map: markers from the GeoJSON URL, or (data-pick)
// a click that fills the latitude/longitude fields. The page works without it.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("needs-map");
    if (!el || typeof L === "undefined") { return; }
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    var hasCentre = !isNaN(lat) && !isNaN(lon);
    var map = L.map(el).setView(hasCentre ? [lat, lon] : [46.6, 2.4], hasCentre ? 13 : 5);
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, {maxZoom: 19, attribution: "© OpenStreetMap"}).addTo(map);
    }
    if (el.dataset.geojson) {
      fetch(el.dataset.geojson, {headers: {Accept: "application/geo+json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          var layer = L.geoJSON(data, {onEachFeature: function (f, m) {
            var a = document.createElement("a");
            a.href = el.dataset.needUrl + f.properties.id; a.textContent = f.properties.title;
            m.bindPopup(a);
          }}).addTo(map);
          if (!hasCentre && data.features.length) { map.fitBounds(layer.getBounds()); }
        }).catch(function () { /* the list stays */ });
    }
    if (el.dataset.pick) {
      var marker = null, latField = document.getElementById("latitude"),
          lonField = document.getElementById("longitude");
      map.on("click", function (e) {
        latField.value = e.latlng.lat.toFixed(6); lonField.value = e.latlng.lng.toFixed(6);
        if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng).addTo(map); }
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
