// Live updates: pages that carry data-live-url listen to the assembly's event stream and,
// on each event, re-fetch themselves and swap the regions marked data-live-region.
// Without JavaScript the same pages simply show the state at load time.
(function () {
  "use strict";
  function refresh(root) {
    return fetch(window.location.href, { headers: { "X-Requested-With": "live" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-region]").forEach(function (el) {
          var name = el.getAttribute("data-live-region");
          var fresh = doc.querySelector('[data-live-region="' + name + '"]');
          if (fresh) { el.replaceWith(fresh); }
        });
      });
  }
  function connect(root) {
    var url = root.getAttribute("data-live-url");
    var names = (root.getAttribute("data-live-events") || "").split(/\s+/).filter(Boolean);
    var status = root.querySelector("[data-live-status]");
    var source = new EventSource(url);
    var pending = null;
    function onEvent(event) {
      document.dispatchEvent(new CustomEvent("convergence:live", { detail: { type: event.type, data: event.data } }));
      // Several events in a burst cause one refresh.
      if (pending) { return; }
      pending = setTimeout(function () { pending = null; refresh(root).catch(function () {}); }, 50);
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
