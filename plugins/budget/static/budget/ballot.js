// The live line next to « Valider mon vote »: after each change, ask the server for the
// ballot's status in plain French (the same sentence a refusal would give) and put it in
// the aria-live region. Without JavaScript the line is given after submitting.
(function () {
  "use strict";
  var form = document.querySelector("form[data-status-url]");
  if (!form) { return; }
  var line = document.getElementById("ballot-status");
  var url = form.getAttribute("data-status-url");
  var asked = 0;
  var timer = null;

  function choices() {
    var params = new URLSearchParams();
    var fields = form.querySelectorAll("input[name=project]:checked, input.budget-points");
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].name === "project" || fields[i].value.trim() !== "") {
        params.append(fields[i].name, fields[i].value);
      }
    }
    return params.toString();
  }

  function update() {
    var mine = ++asked;
    fetch(url + "?" + choices(), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (mine !== asked) { return; }  // a later change has been asked about
        line.textContent = status.sentence;
        line.classList.toggle("error", !status.valid);
        line.setAttribute("data-valid", status.valid ? "yes" : "no");
      })
      .catch(function () { /* the line stays; the server says it after submitting */ });
  }

  function soon() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(update, 150);
  }

  form.addEventListener("change", soon);
  form.addEventListener("input", soon);
})();
