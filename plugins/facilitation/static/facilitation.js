// The speaking timer counts down between live events. The page was drawn with the time
// left when it was rendered (data-remaining) and whether it runs (data-running); this only
// subtracts what passed since, and marks the timer over when it reaches zero. A region the
// live channel redraws brings fresh figures: each timer element is timed from when it
// first appears. Without JavaScript the page shows the time at load.
(function () {
  "use strict";
  function format(seconds) {
    var whole = Math.floor(Math.abs(seconds) + (seconds < 0 ? 0 : 0.999));
    var sign = seconds < 0 && whole ? "-" : "";  // as clock.py: never « -0:00 »
    var s = whole % 60;
    return sign + Math.floor(whole / 60) + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    var now = performance.now();
    document.querySelectorAll("[data-timer][data-remaining]").forEach(function (el) {
      if (el._seenAt === undefined) { el._seenAt = now; }
      if (el.getAttribute("data-running") !== "1") { return; }
      var left = parseFloat(el.getAttribute("data-remaining")) - (now - el._seenAt) / 1000;
      var value = el.querySelector("[data-countdown]");
      if (value) { value.textContent = format(left); }
      if (left <= 0 && el.getAttribute("data-state") !== "over") {
        el.setAttribute("data-state", "over");
        var label = el.querySelector("[data-timer-label]");
        if (label) { label.textContent = el.getAttribute("data-over-text") || ""; }
      }
    });
  }
  // A change of speaker is shown from the event's name at once; live.js then swaps the
  // rendered parts the event carries, or, when it carries none (too long), re-fetches.
  document.addEventListener("convergence:live", function (event) {
    if (event.detail.type !== "speaking.floor") { return; }
    var data = {};
    try { data = JSON.parse(event.detail.data); } catch (e) { return; }
    document.querySelectorAll("[data-speaker]").forEach(function (el) {
      if (data.name && el.getAttribute("data-item") === String(data.item_id)) {
        el.textContent = data.name;
        el.classList.remove("muted");
      }
    });
  });
  // « Your place » is the viewer's own. When the event's shared parts have been swapped in
  // (live.js), a phone whose request still waits reads its new place (position and why)
  // from the event's ``places`` and fetches nothing. It fetches its section alone
  // (…/parole/ma-place) only when what it shows changes kind (data-mine-state: it got the
  // floor, its request is no longer on the list), when its view of the list being closed
  // is now wrong, or when the event carries no place for it (a long list); a phone not on
  // the list, or still speaking, fetches nothing. Its own entry in the swapped list is
  // marked again (the event's list is drawn as anyone sees it).
  function isId(id) { return /^[0-9]+$/.test(id || ""); }
  function markMine(id) {
    if (!isId(id)) { return; }
    var entry = document.querySelector('[data-request="' + id + '"]');
    if (entry) { entry.classList.add("mine"); }
  }
  function stateIn(regions, mine) {
    if (String(regions.speaker) === mine) { return "speaking"; }
    return (regions.order || []).map(String).indexOf(mine) >= 0 ? "waiting" : "gone";
  }
  // The event's place for request ``mine`` swapped into the section; false if it has none.
  function swapPlace(el, regions, mine) {
    var html = regions.html && regions.html.places;
    var shown = el.querySelector("[data-place]");
    if (typeof html !== "string" || !shown) { return false; }
    var fresh = new DOMParser().parseFromString(html, "text/html").querySelector('[data-place="' + mine + '"]');
    if (!fresh) { return false; }
    shown.replaceWith(fresh);  // inside the aria-live wrapper: read out politely
    return true;
  }
  function fetchPlace(el) {
    fetch(el.getAttribute("data-live-personal-url"), { headers: { "X-Requested-With": "live" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-personal]");
        var shown = document.querySelector("[data-live-personal]");
        if (fresh && shown) { shown.replaceWith(fresh); markMine(fresh.getAttribute("data-mine")); }
      })
      .catch(function () {});
  }
  document.addEventListener("convergence:live-regions", function (event) {
    var regions = event.detail;
    document.querySelectorAll("[data-live-personal]").forEach(function (el) {
      if (el.getAttribute("data-live-key") !== regions.key) { return; }
      var mine = el.getAttribute("data-mine");
      markMine(mine);
      if (el.getAttribute("data-closed") !== (regions.closed ? "1" : "0")) { fetchPlace(el); return; }
      if (!isId(mine) || !regions.personal) { return; }
      var now = stateIn(regions, mine);
      var shown = el.getAttribute("data-mine-state");
      if (now === shown && (now === "speaking" || swapPlace(el, regions, mine))) { return; }
      fetchPlace(el);
    });
  });
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 250); });
})();
