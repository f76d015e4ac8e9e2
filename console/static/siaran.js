// kimbot console: confirmations for destructive forms, and the live
// numbers of a run report. Written for this project (same licence as
// kimbot); no framework. The CSP forbids inline script, so pages load
// this file.
(function () {
  "use strict";

  // A form with data-confirm asks before it is sent (cancel a broadcast).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        ev.preventDefault();
      }
    });
  });

  // A section with data-live is refetched every 2.5 s while its run is
  // sending: the server renders the numbers (escaped as on the page) and
  // the section's content is replaced with them.
  var live = document.querySelector("[data-live]");
  if (!live) {
    return;
  }
  var url = live.getAttribute("data-live");
  var timer = window.setInterval(refresh, 2500);
  function refresh() {
    if (document.hidden) {
      return;
    }
    window.fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (resp) {
        if (!resp.ok) {
          throw new Error("HTTP " + resp.status);
        }
        return resp.text();
      })
      .then(function (html) {
        live.innerHTML = html;
        var state = live.querySelector("[data-status]");
        if (!state || state.getAttribute("data-status") !== "sending") {
          window.clearInterval(timer);
        }
      })
      .catch(function () {
        // Signed out or the server away: stop quietly, the page still shows the last numbers.
        window.clearInterval(timer);
      });
  }
})();
