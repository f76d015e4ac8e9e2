// kimbot console: the compose page's live audience count. Written for
// this project (same licence as kimbot). The page works without it: the
// preview step shows the count too.
(function () {
  "use strict";
  var form = document.getElementById("compose");
  var out = document.getElementById("audience");
  if (!form || !out || !window.fetch) { return; }
  var pending = 0;
  function update() {
    var params = new URLSearchParams();
    form.querySelectorAll('input[name="target"]:checked').forEach(function (box) {
      params.append("target", box.value);
    });
    var mine = ++pending;
    fetch("/siaran/baru/penerima?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (data && mine === pending) { out.textContent = data.text; }
      })
      .catch(function () {});
  }
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "target") { update(); }
  });
  update();
})();
