// The overview page: timeline, paged list, map and dyad network of the events that the
// filters in the URL find. Every panel asks the REST API with the same filters.
"use strict";

(function () {
  const { TYPES, COLORS, el, svg, getJSON } = window.defcoop;
  const FILTERS = ["q", "country", "dyad", "type", "status", "since", "until", "place"];
  const PAGE = 20;
  const url = new URLSearchParams(location.search);
  // Pages follow each other by cursor: cursors[i] starts page i (null: the first page).
  const state = { cursors: [null], index: 0, next: null, granularity: url.get("granularity") === "month" ? "month" : "year" };

  function filters(extra) {
    const params = new URLSearchParams();
    for (const name of FILTERS) {
      const value = (url.get(name) || "").trim();
      if (value) params.set(name, value);
    }
    for (const [name, value] of Object.entries(extra || {})) params.set(name, value);
    return params;
  }

  // Go to the overview with some filters changed (the others kept).
  function refine(changes) {
    const params = filters();
    for (const [name, value] of Object.entries(changes)) {
      if (value) params.set(name, value);
      else params.delete(name);
    }
    if (state.granularity !== "year") params.set("granularity", state.granularity);
    location.assign("/?" + params.toString());
  }

  function fail(error) {
    console.error(error);
    const box = document.getElementById("error");
    box.textContent = error.message || String(error);
    box.hidden = false;
  }

  function describe(item) {
    if (item.name) return item.name;
    const where = item.location ? item.location.name || item.location.country : null;
    return [item.type, item.participants.join("–"), where].filter(Boolean).join(", ");
  }

  function dates(item) {
    if (!item.start && !item.end) return "";
    if (!item.end || item.end === item.start) return item.start || "…";
    return (item.start || "…") + " – " + item.end;
  }

  // ---- timeline -------------------------------------------------------------------
  function periods(first, last) {
    const out = [];
    if (state.granularity === "year") {
      for (let y = Number(first); y <= Number(last); y++) out.push(String(y));
      return out;
    }
    let [y, m] = first.split("-").map(Number);
    const [ly, lm] = last.split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(y + "-" + String(m).padStart(2, "0"));
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  function drawLegend() {
    const legend = document.getElementById("legend");
    legend.replaceChildren();
    for (const type of TYPES) {
      const item = el("button", { type: "button", class: "swatch k-" + type, "data-type": type }, type);
      item.addEventListener("click", () => refine({ type: url.get("type") === type ? "" : type }));
      legend.append(item);
    }
    for (const button of document.querySelectorAll("button.gran")) {
      button.classList.toggle("active", button.dataset.granularity === state.granularity);
      button.addEventListener("click", () => {
        state.granularity = button.dataset.granularity;
        refine({});
      });
    }
  }

  async function drawTimeline() {
    const rows = await getJSON("/api/aggregates/timeline", filters({ granularity: state.granularity }));
    const chart = document.getElementById("timeline");
    chart.replaceChildren();
    const note = document.getElementById("timeline-note");
    if (rows.length === 0) {
      note.textContent = "No dated events for these filters.";
      return;
    }
    const counts = new Map();
    for (const row of rows) {
      if (!counts.has(row.period)) counts.set(row.period, {});
      counts.get(row.period)[row.type] = row.count;
    }
    const keys = [...counts.keys()].sort();
    const all = periods(keys[0], keys[keys.length - 1]);
    const width = Math.max(chart.clientWidth || 900, 300);
    const height = 180;
    const left = 30, bottom = 24, top = 8;
    const totals = all.map((p) => Object.values(counts.get(p) || {}).reduce((a, b) => a + b, 0));
    const peak = Math.max(1, ...totals);
    const step = (width - left - 4) / all.length;
    const barWidth = Math.max(1, Math.min(step * 0.8, 48));
    const scale = (height - bottom - top) / peak;
    chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
    chart.append(svg("text", { x: 2, y: top + 8, class: "axis" }, peak));
    chart.append(svg("line", { x1: left - 2, x2: width, y1: height - bottom, y2: height - bottom, class: "baseline" }));
    const labelEvery = Math.max(1, Math.ceil(all.length / Math.floor(width / 60)));
    // The last period always gets its label; the regular one before it gives way when
    // the two would touch.
    const labelled = (i) => i === all.length - 1 || (i % labelEvery === 0 && all.length - 1 - i >= labelEvery);
    all.forEach((period, i) => {
      const x = left + i * step;
      let y = height - bottom;
      const bar = svg("g", { class: "bar", "data-period": period, tabindex: "0" });
      const parts = [];
      for (const type of TYPES) {
        const n = (counts.get(period) || {})[type] || 0;
        if (!n) continue;
        y -= n * scale;
        bar.append(svg("rect", { x, y, width: barWidth, height: n * scale, fill: COLORS[type], class: "k-" + type }));
        parts.push(`${type} ${n}`);
      }
      bar.append(svg("title", {}, `${period}: ${totals[i]} event${totals[i] === 1 ? "" : "s"}` + (parts.length ? " (" + parts.join(", ") + ")" : "")));
      if (totals[i]) bar.addEventListener("click", () => refine({ since: period, until: period }));
      chart.append(bar);
      if (labelled(i)) {
        const label = svg("text", { x: x + barWidth / 2, y: height - 6, class: "axis", "text-anchor": "middle" }, period);
        chart.append(label);
        // Keep the label inside the chart: the first and last ones would overhang its edges.
        const box = label.getBBox();
        if (box.x + box.width > width - 1) label.setAttribute("x", width - 1 - box.width / 2);
        else if (box.x < 1) label.setAttribute("x", 1 + box.width / 2);
      }
    });
    const undated = state.granularity === "month" ? " Events dated only by their year are left out of the months." : "";
    note.textContent = "Click a bar to see that period's events." + undated;
  }

  // ---- list -----------------------------------------------------------------------
  // A planned or ongoing event whose dates are all past, with no later report of it.
  function overdue(item) {
    const due = item.end || item.start;
    if (!due || (item.status !== "planned" && item.status !== "ongoing")) return false;
    return due < new Date().toISOString().slice(0, due.length);
  }

  function statusMark(item) {
    return { class: "status-mark" + (overdue(item) ? " overdue" : "") };
  }

  function statusText(item) {
    const asOf = item.status_as_of ? " as of " + item.status_as_of : "";
    return item.status + asOf + (overdue(item) ? " · dates passed" : "");
  }

  async function drawList() {
    const cursor = state.cursors[state.index];
    const page = await getJSON("/api/events", filters(cursor ? { limit: PAGE, cursor } : { limit: PAGE }));
    state.next = page.next_cursor;
    const body = document.querySelector("#events tbody");
    body.replaceChildren();
    for (const item of page.items) {
      const row = el("tr", { "data-event": item.event_id });
      const link = el("a", { href: "/events/" + encodeURIComponent(item.event_id) }, describe(item));
      row.append(el("td"), el("td"), el("td", {}, dates(item)), el("td", {}, item.participants.join(", ")),
        el("td", {}, item.location ? item.location.name || item.location.country || "" : ""),
        el("td", { class: "num" }, item.reports));
      row.children[0].append(link);
      row.children[1].append(el("span", { class: "badge k-" + item.type }, item.type));
      if (item.status) row.children[1].append(el("div", statusMark(item), statusText(item)));
      if (item.conflicts && item.conflicts.length) {
        row.children[0].append(el("div", { class: "conflict-mark" }, "reports disagree: " + item.conflicts.join(", ")));
      }
      body.append(row);
    }
    // An estimated total (many events, filters the summaries do not count) says so.
    const total = (page.total_is_estimate ? "about " : "") + page.total.toLocaleString("en");
    document.getElementById("total").textContent = `(${total})`;
    const first = state.index * PAGE + 1;
    const last = first + page.items.length - 1;
    document.getElementById("page").textContent = page.items.length ? `${first}–${last} of ${total}` : "none";
    document.getElementById("prev").disabled = state.index === 0;
    document.getElementById("next").disabled = !page.next_cursor;
  }

  function wirePager() {
    document.getElementById("prev").addEventListener("click", () => {
      state.index = Math.max(0, state.index - 1);
      drawList().catch(fail);
    });
    document.getElementById("next").addEventListener("click", () => {
      if (!state.next) return;
      state.cursors[state.index + 1] = state.next;
      state.index += 1;
      drawList().catch(fail);
    });
  }

  // ---- map ------------------------------------------------------------------------
  // A ring that crosses the antimeridian jumps from +180 to -180 between two points, and
  // the map would draw that step as a line across the world: shift such points by 360
  // degrees so that the ring goes on past the edge instead.
  function unwrapRing(ring) {
    const out = [];
    for (const [lon, lat] of ring) {
      let x = lon;
      if (out.length) {
        const previous = out[out.length - 1][0];
        while (x - previous > 180) x -= 360;
        while (x - previous < -180) x += 360;
      }
      out.push([x, lat]);
    }
    return out;
  }

  function unwrapped(feature) {
    const geometry = feature.geometry;
    if (!geometry) return feature;
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    const fixed = polygons.map((polygon) => polygon.map(unwrapRing));
    const coordinates = geometry.type === "Polygon" ? fixed[0] : fixed;
    return { ...feature, geometry: { ...geometry, coordinates } };
  }

  async function drawMap() {
    if (!window.L || !window.topojson) throw new Error("the map's libraries are missing: run make install");
    const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: false }).setView([25, 15], 2);
    const world = await getJSON("/static/vendor/world-atlas/countries-110m.json");
    const countries = topojson.feature(world, world.objects.countries);
    // Antarctica's outline runs along the map's bottom edge as a stray line.
    countries.features = countries.features.filter((f) => f.id !== "010").map(unwrapped);
    L.geoJSON(countries, {
      style: { color: "#8a8f98", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 },
      interactive: false,
    }).addTo(map);
    const points = await getJSON("/api/points", filters());
    const cluster = L.markerClusterGroup({ maxClusterRadius: 30, showCoverageOnHover: false });
    for (const p of points) {
      const label = (p.name || p.type) + (p.start ? " (" + p.start + ")" : "") + (p.place ? " at " + p.place : "");
      const marker = L.marker([p.lat, p.lon], { title: label, alt: label, keyboard: true });
      marker.on("click", () => location.assign("/events/" + encodeURIComponent(p.event_id)));
      cluster.addLayer(marker);
    }
    map.addLayer(cluster);
    // Not animated: the clusters are redrawn when the zoom ends, so an animated fit left
    // markers to be replaced after the page said it was ready (a click then missed).
    if (points.length) map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 6, animate: false });
    const box = document.getElementById("map");
    box.dataset.points = String(points.length);
    box.dataset.zoom = String(map.getZoom());
  }

  // ---- dyad network ---------------------------------------------------------------
  // Countries in an order that puts partners side by side on the circle: a walk that
  // always goes on to the strongest partner not yet placed.
  function circleOrder(edges) {
    const partners = new Map();
    for (const e of edges) {
      for (const [x, y] of [[e.a, e.b], [e.b, e.a]]) {
        if (!partners.has(x)) partners.set(x, []);
        partners.get(x).push([y, e.count]);
      }
    }
    const weight = (code) => partners.get(code).reduce((sum, [, n]) => sum + n, 0);
    const pending = [...partners.keys()].sort((x, y) => weight(y) - weight(x) || (x < y ? -1 : 1));
    const placed = [];
    const seen = new Set();
    const visit = (code) => {
      seen.add(code);
      placed.push(code);
      const next = partners.get(code).filter(([y]) => !seen.has(y)).sort((p, q) => q[1] - p[1]);
      for (const [y] of next) if (!seen.has(y)) visit(y);
    };
    for (const code of pending) if (!seen.has(code)) visit(code);
    return placed;
  }

  async function drawNetwork() {
    const edges = (await getJSON("/api/aggregates/dyads", filters())).slice(0, 60);
    const chart = document.getElementById("network");
    chart.replaceChildren();
    const size = 420, middle = size / 2, radius = size / 2 - 50;
    chart.setAttribute("viewBox", `0 0 ${size} ${size}`);
    const nodes = circleOrder(edges);
    if (!nodes.length) {
      chart.append(svg("text", { x: 20, y: 30, class: "axis" }, "No pairs for these filters."));
      return;
    }
    const at = new Map(nodes.map((code, i) => {
      const angle = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
      return [code, [middle + radius * Math.cos(angle), middle + radius * Math.sin(angle)]];
    }));
    const peak = Math.max(...edges.map((e) => e.count));
    for (const edge of edges) {
      const [x1, y1] = at.get(edge.a);
      const [x2, y2] = at.get(edge.b);
      const dyad = edge.a + "-" + edge.b;
      const group = svg("g", { class: "edge", "data-dyad": dyad });
      group.append(svg("line", { x1, y1, x2, y2, class: "edge-line", "stroke-width": 1 + (5 * edge.count) / peak }));
      group.append(svg("line", { x1, y1, x2, y2, class: "edge-hit" }));
      group.append(svg("title", {}, `${edge.a}–${edge.b}: ${edge.count} event${edge.count === 1 ? "" : "s"}`));
      group.addEventListener("click", () => refine({ dyad, country: "" }));
      chart.append(group);
    }
    for (const code of nodes) {
      const [x, y] = at.get(code);
      const node = svg("g", { class: "node", "data-code": code });
      node.append(svg("circle", { cx: x, cy: y, r: 6 }));
      // Labels point away from the centre, each along its own radius: neighbours on the
      // circle are then side by side, never on top of each other. Those on the left
      // half are turned over so that they read left to right.
      const angle = (Math.atan2(y - middle, x - middle) * 180) / Math.PI;
      const left = Math.abs(angle) > 90;
      const label = svg("text", {
        x: x + (left ? -10 : 10),
        y,
        "dominant-baseline": "central",
        "text-anchor": left ? "end" : "start",
        transform: `rotate(${left ? angle + 180 : angle} ${x} ${y})`,
      }, code);
      node.append(label);
      node.addEventListener("click", () => refine({ country: code, dyad: "" }));
      chart.append(node);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    drawLegend();
    wirePager();
    const done = [drawTimeline(), drawList(), drawMap(), drawNetwork()].map((p) => p.catch(fail));
    Promise.all(done).then(() => document.body.setAttribute("data-ready", "true"));
  });
})();
