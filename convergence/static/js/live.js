// Live updates: pages that carry data-live-url listen to the assembly's event stream.
// An event may carry the page's shared parts already rendered by the server (``regions``:
// HTML that Jinja escaped, one per data-live-part of the item named by data-live-key):
// they are swapped in from the event and nothing is fetched. Otherwise — no parts in the
// event or on the page, another language, a part left out of a long event — the page
// re-fetches itself and swaps the regions marked data-live-region, as it always did.
// Without JavaScript the same pages simply show the state at load time.
(function () {
  "use strict";
  var latest = null;  // the last regions swapped in from an event
  var swaps = 0;
  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html");
  }
  // The event's parts into the page; false when the page still needs fetching.
  function swap(regions) {
    var parts = document.querySelectorAll("[data-live-part]");
    if (!parts.length || !regions.html || regions.lang !== document.documentElement.lang) { return false; }
    var complete = true;
    parts.forEach(function (el) {
      if (el.getAttribute("data-live-key") !== regions.key) { return; }  // another item: not shown here
      var html = regions.html[el.getAttribute("data-live-part")];
      var fresh = typeof html === "string" ? parse(html).body.firstElementChild : null;
      if (fresh) { el.replaceWith(fresh); } else { complete = false; }
    });
    swaps += 1;
    latest = regions;
    document.dispatchEvent(new CustomEvent("convergence:live-regions", { detail: regions }));
    return complete;
  }
  function refresh(root) {
    var before = swaps;
    return fetch(window.location.href, { headers: { "X-Requested-With": "live" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = parse(html);
        document.querySelectorAll("[data-live-region]").forEach(function (el) {
          var name = el.getAttribute("data-live-region");
          var fresh = doc.querySelector('[data-live-region="' + name + '"]');
          if (fresh) { el.replaceWith(fresh); }
        });
        // An event swapped in while the page was on its way may be newer than the page.
        if (swaps !== before && latest) { swap(latest); }
      });
  }
  // A long part travels gzipped in base64 (``packed``): opened here before the swap. A
  // browser without DecompressionStream leaves it out, and so fetches the page.
  function unpack(regions) {
    var names = Object.keys(regions.packed || {});
    if (!names.length || typeof DecompressionStream === "undefined") { return Promise.resolve(regions); }
    return Promise.all(names.map(function (name) {
      var bytes = Uint8Array.from(atob(regions.packed[name]), function (c) { return c.charCodeAt(0); });
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text().then(function (html) { regions.html[name] = html; });
    })).then(function () { return regions; }, function () { return regions; });
  }
  function connect(root) {
    var url = root.getAttribute("data-live-url");
    var names = (root.getAttribute("data-live-events") || "").split(/\s+/).filter(Boolean);
    var status = root.querySelector("[data-live-status]");
    var source = new EventSource(url);
    var pending = null;
    var order = Promise.resolve();  // events are swapped in the order they came
    function later() {
      // Several events in a burst cause one refresh.
      if (pending) { return; }
      pending = setTimeout(function () { pending = null; refresh(root).catch(function () {}); }, 50);
    }
    function onEvent(event) {
      document.dispatchEvent(new CustomEvent("convergence:live", { detail: { type: event.type, data: event.data } }));
      var regions = null;
      try { regions = JSON.parse(event.data).regions || null; } catch (e) { regions = null; }
      if (!regions) { later(); return; }
      order = order.then(function () { return unpack(regions); })
        .then(function (opened) { if (!swap(opened)) { later(); } }, later);
    }
    names.forEach(function (name) { source.addEventListener(name, onEvent); });
    source.addEventListener("open", function () {
      root.setAttribute("data-live-connected", "true");
      if (status) { status.textContent = status.getAttribute("data-connected-text") || ""; }
    });
    source.addEventListener("error", function () { root.removeAttribute("data-live-connected"); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-live-url]").forEach(connect);
  });
})();
