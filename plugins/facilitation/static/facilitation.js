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
  // A change of speaker is shown from the event itself, before the page's regions are
  // fetched again (live.js): the name travels in the event, so the room and the phones
  // change at once even while hundreds of them re-fetch.
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
  document.addEventListener("DOMContentLoaded", function () { tick(); setInterval(tick, 250); });
})();
