// The peta KIM's map view, drawn with the vendored Leaflet when an office
// imported boundaries. Written for this project (same licence as kimbot).
// The page works without it: the tiles below show the same data.
(function () {
  "use strict";
  var el = document.getElementById("peta-map");
  if (!el || !window.L) return;
  var colours = { aktif: "#2e7d32", vakum: "#b26a00", none: "#8a94a3" };
  var map = L.map(el, { attributionControl: !!el.dataset.tiles });
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { maxZoom: 18, attribution: el.dataset.attribution || "" }).addTo(map);
  }
  // A popup is built from text nodes: names come from the registry, not markup.
  function popup(p) {
    var div = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = p.name;
    div.appendChild(title);
    [p.kim, p.line, p.median].forEach(function (text) {
      div.appendChild(document.createElement("br"));
      div.appendChild(document.createTextNode(text));
    });
    div.appendChild(document.createElement("br"));
    var a = document.createElement("a");
    a.href = p.href;
    a.textContent = p.open;
    div.appendChild(a);
    return div;
  }
  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (f) {
          var c = colours[f.properties.status] || colours.none;
          return { color: c, weight: 1, fillColor: c, fillOpacity: 0.45 };
        },
        onEachFeature: function (f, l) { l.bindPopup(popup(f.properties)); }
      }).addTo(map);
      if (data.features.length) map.fitBounds(layer.getBounds());
      el.dataset.drawn = String(data.features.length);
    })
    .catch(function () { el.hidden = true; });
})();
