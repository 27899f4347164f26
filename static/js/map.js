/* Markers, popups and radii for the folium maps (coop/geo/maps.py PointLayer).
 * Loaded before folium's inline script. Popups are built with textContent: the data may hold
 * anything a resident typed, and none of it ever becomes HTML. */
(function () {
  "use strict";
  var maps = [];
  var NARROW = "(max-width: 640px)";
  L.Map.addInitHook(function () {
    maps.push(this);
    L.control.scale({ imperial: false }).addTo(this);  // metres and kilometres only
  });
  // On a phone the layer box starts folded (a tap opens it); on a wider screen it stays open.
  L.Control.Layers.addInitHook(function () {
    this.options.collapsed = window.matchMedia(NARROW).matches;
  });

  var LETTERS = { today: "!", week: "W", no_rush: "H", matched: "\u2713", volunteer: "V", professional: "P" };
  var KEY = /^[a-z_]+$/;

  function key(value) { return KEY.test(value) ? value : "other"; }

  function pin(lat, lon, classes, letter, label) {
    var icon = L.divIcon({ className: "coop-pin " + classes, html: "", iconSize: [26, 26] });
    var marker = L.marker([lat, lon], { icon: icon, title: label, alt: label, keyboard: true });
    marker.on("add", function () {
      var el = marker.getElement();
      if (el) { el.textContent = letter; el.setAttribute("aria-label", label); }
    });
    return marker;
  }

  function popup(title, lines, url, linkText) {
    var box = document.createElement("div");
    box.className = "coop-popup";
    var heading = document.createElement("strong");
    heading.textContent = title;
    box.appendChild(heading);
    lines.forEach(function (line) {
      if (!line) { return; }
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    if (url && url.charAt(0) === "/" && url.charAt(1) !== "/") {
      var a = document.createElement("a");
      a.href = url;
      a.textContent = linkText;
      box.appendChild(a);
    }
    return box;
  }

  var builders = {
    // [lat, lon, id, status, urgency, title, text, url, status label, urgency label]
    request: function (r) {
      var state = r[3] === "matched" ? "matched" : key(r[4]);
      var label = r[5] + " (" + r[9] + ", " + r[8] + ")";
      return pin(r[0], r[1], "coop-pin--request coop-pin--" + state, LETTERS[state] || "H", label)
        .bindPopup(popup(r[5], [r[9] + " \u00b7 " + r[8], r[6]], r[7], "Koppelen"));
    },
    // [lat, lon, id, kind, name, detail, url]
    helper: function (r) {
      var kind = key(r[3]);
      return pin(r[0], r[1], "coop-pin--" + kind, LETTERS[kind] || "V", r[4])
        .bindPopup(popup(r[4], [r[5]], r[6], "Bekijken"));
    },
    // [lat, lon, id, kind, "1. name", detail, url, number]: numbered as in the list of candidates
    candidate: function (r) {
      var kind = key(r[3]);
      return pin(r[0], r[1], "coop-pin--" + kind + " coop-pin--numbered", String(r[7]), r[4])
        .bindPopup(popup(r[4], [r[5]], r[6], "Bekijken"));
    },
    // [lat, lon, radius in metres, name, helper id]: drawn while that candidate is chosen
    radius: function (r) {
      var circle = L.circle([r[0], r[1]], { radius: r[2], className: "coop-radius", interactive: false });
      circle.helperId = String(r[4]);
      return circle;
    },
    // [lat, lon, title, text]
    focus: function (r) {
      return pin(r[0], r[1], "coop-pin--focus", "\u2605", r[2]).bindPopup(popup(r[2], [r[3]], null, ""));
    }
  };

  // GeoJSON feature -> the row a builder takes (coop/matching/mapping.py village_points).
  var FROM_FEATURE = {
    request: function (f, p) {
      return [f.geometry.coordinates[1], f.geometry.coordinates[0], p.id, p.status, p.urgency, p.title, p.text,
              p.url, p.status_label, p.urgency_label];
    },
    helper: function (f, p) {
      return [f.geometry.coordinates[1], f.geometry.coordinates[0], p.id, p.kind, p.name, p.detail, p.url];
    }
  };
  var sources = {};  // one fetch per URL, shared by the layers it feeds

  function load(url) {
    if (!sources[url]) {
      sources[url] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        });
    }
    return sources[url];
  }

  function fill(group, kind, rows, cluster) {
    var build = builders[kind];
    var made = [];
    for (var i = 0; i < rows.length; i++) { made.push(build(rows[i])); }
    if (cluster) { group.addLayers(made); } else { made.forEach(function (m) { group.addLayer(m); }); }
  }

  /* The radius layer shows only the circle of the candidate chosen or focused in the list. */
  function oneRadius(group, circles) {
    function show(id) {
      group.clearLayers();
      circles.forEach(function (c) { if (c.helperId === id) { group.addLayer(c); } });
    }
    function chosen() {
      var checked = document.querySelector("input[name=helper_id]:checked");
      show(checked ? checked.value : null);
    }
    document.addEventListener("change", function (e) {
      if (e.target && e.target.name === "helper_id") { chosen(); }
    });
    document.addEventListener("focusin", function (e) {
      if (e.target && e.target.name === "helper_id") { show(e.target.value); }
    });
    document.addEventListener("focusout", function (e) {
      if (e.target && e.target.name === "helper_id") { chosen(); }
    });
    chosen();
  }

  /* The request map opens on a view that holds the request and every candidate. */
  var focusGroups = [];
  function fitCandidates(e) {
    var group = e.target;
    if (!group.getLayers().length) { return; }
    var bounds = group.getBounds();
    focusGroups.forEach(function (f) { if (f.getLayers().length) { bounds.extend(f.getBounds()); } });
    group._map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
  }

  function layer(kind, rows, cluster, source) {
    var group = cluster ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false })
                        : L.featureGroup();
    if (kind === "radius") {
      oneRadius(group, rows.map(builders.radius));
      return group;
    }
    fill(group, kind, rows, cluster);
    if (kind === "focus") { focusGroups.push(group); }
    if (kind === "candidate") { group.once("add", fitCandidates); }
    if (source && source.charAt(0) === "/" && source.charAt(1) !== "/" && FROM_FEATURE[kind]) {
      load(source).then(function (data) {
        var found = [];
        (data.features || []).forEach(function (f) {
          var p = f.properties || {};
          if (p.layer === kind && f.geometry && f.geometry.type === "Point") { found.push(FROM_FEATURE[kind](f, p)); }
        });
        fill(group, kind, found, cluster);
      }).catch(function () {
        var note = document.querySelector("[data-map-failed]");
        if (note) { note.hidden = false; }
      });
    }
    return group;
  }

  /* Set-the-pin form: a click on the map fills the latitude and longitude fields. */
  function pinForm() {
    var form = document.querySelector("[data-pin-form]");
    if (!form || !maps.length) { return; }
    var map = maps[0];
    var lat = form.querySelector("[name=lat]");
    var lon = form.querySelector("[name=lon]");
    var marker = null;
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      if (marker) { marker.setLatLng(e.latlng); } else {
        marker = pin(e.latlng.lat, e.latlng.lng, "coop-pin--focus", "\u2605", "Gekozen plek").addTo(map);
      }
    });
  }

  window.CoopMap = { layer: layer, maps: maps };
  document.addEventListener("DOMContentLoaded", pinForm);
}());
