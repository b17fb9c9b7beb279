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
  // « Your place » is the viewer's own: it is not in the event. When the event's shared
  // parts have been swapped in (live.js), a phone on the list (data-mine: its request, or
  // the turn it speaks) fetches that section alone, and so does one whose view of the
  // list being closed is now wrong; the other phones fetch nothing. Their own entry in the
  // swapped list is marked again (the event's list is drawn as anyone sees it).
  function markMine(id) {
    if (!/^[0-9]+$/.test(id || "")) { return; }
    var entry = document.querySelector('[data-request="' + id + '"]');
    if (entry) { entry.classList.add("mine"); }
  }
  document.addEventListener("convergence:live-regions", function (event) {
    var regions = event.detail;
    document.querySelectorAll("[data-live-personal]").forEach(function (el) {
      if (el.getAttribute("data-live-key") !== regions.key) { return; }
      var mine = el.getAttribute("data-mine");
      markMine(mine);
      var closedChanged = el.getAttribute("data-closed") !== (regions.closed ? "1" : "0");
      if (!(mine && regions.personal) && !closedChanged) { return; }
      fetch(el.getAttribute("data-live-personal-url"), { headers: { "X-Requested-With": "live" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-personal]");
          var shown = document.querySelector("[data-live-personal]");
          if (fresh && shown) { shown.replaceWith(fresh); markMine(fresh.getAttribute("data-mine")); }
        })
        .catch(function () {});
    });
  });
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 250); });
})();
