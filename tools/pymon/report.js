/* The HTML report's renderer (embedded inline by pymon html): reads the
   JSON data block and draws SVG charts.  Every name is inserted as text
   (textContent / createTextNode), never parsed as markup. */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var METRICS = [
    { key: "time", label: "TOTAL_TIME", unit: "s", digits: 3, color: "var(--time)" },
    { key: "cpu", label: "CPU time (user + kernel)", unit: "s", digits: 3, color: "var(--cpu)" },
    { key: "mem", label: "MEM_USAGE", unit: "MB", digits: 1, color: "var(--mem)" },
    { key: "usage", label: "CPU_USAGE", unit: "", digits: 1, color: "#4b5563" }
  ];

  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function html(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }
  function fmt(v, m) {
    return v.toFixed(m.digits) + (m.unit ? " " + m.unit : "");
  }
  function pct(a, b) { return b > 0 ? (a - b) / b * 100 : (a > 0 ? Infinity : 0); }
  function fmtPct(p) {
    return isFinite(p) ? (p >= 0 ? "+" : "") + p.toFixed(1) + "%" : "new > 0";
  }
  function shorten(s, n) { return s.length > n ? "\u2026" + s.slice(s.length - n + 1) : s; }
  function median(a) {
    var s = a.slice().sort(function (x, y) { return x - y; });
    var h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  }
  function tip(node, text) { node.appendChild(svg("title", {}, text)); return node; }
  /* A chart drawn at its natural size; CSS only shrinks it to fit. */
  function chart(w, h, cls) {
    return svg("svg", { viewBox: "0 0 " + w + " " + h, width: w, height: h, "class": cls, role: "img" });
  }

  var data = JSON.parse(document.getElementById("pymon-data").textContent);
  var sessions = data.sessions, tests = data.tests, top = data.top;
  var focus = sessions.length - 1;

  /* values[s][t] = [time, cpu, mem, usage] (median of repeated rows) */
  var raw = sessions.map(function () { return {}; });
  data.rows.forEach(function (r) {
    var cell = raw[r[0]][r[1]] || (raw[r[0]][r[1]] = [[], [], [], []]);
    for (var m = 0; m < 4; m++) cell[m].push(r[2 + m]);
  });
  var values = raw.map(function (byTest) {
    var out = {};
    Object.keys(byTest).forEach(function (t) { out[t] = byTest[t].map(median); });
    return out;
  });
  var outcomes = {};
  data.rows.forEach(function (r) {
    if (r[0] === focus && r[6] && r[6] !== "returned") outcomes[r[1]] = r[6];
  });

  /* Horizontal bars: items [{label, value, tip}]. */
  function barChart(items, m) {
    var rowH = 20, labelW = 190, barW = 130, w = labelW + barW + 70;
    var max = Math.max.apply(null, items.map(function (i) { return i.value; }).concat([1e-12]));
    var g = chart(w, items.length * rowH + 6, "bars");
    items.forEach(function (it, i) {
      var y = i * rowH + 3;
      g.appendChild(tip(svg("text", { x: labelW - 6, y: y + 13, "text-anchor": "end" },
                            shorten(it.label, 30)), it.label));
      var len = Math.max(1, it.value / max * barW);
      g.appendChild(tip(svg("rect", { x: labelW, y: y + 2, width: len, height: rowH - 6,
                                      rx: 2, fill: m.color, "class": "bar" }), it.tip));
      g.appendChild(svg("text", { x: labelW + len + 5, y: y + 13, "class": "muted" },
                        fmt(it.value, m)));
    });
    return g;
  }

  /* Diverging bars of the relative change, centred on zero. */
  function changeChart(items) {
    var rowH = 20, labelW = 220, half = 110, w = labelW + 2 * half + 70;
    var g = chart(w, items.length * rowH + 6, "change");
    var cx = labelW + half;
    g.appendChild(svg("line", { x1: cx, x2: cx, y1: 0, y2: items.length * rowH + 6, "class": "axis" }));
    items.forEach(function (it, i) {
      var y = i * rowH + 3, p = Math.max(-100, Math.min(100, isFinite(it.pct) ? it.pct : 100));
      var len = Math.abs(p) / 100 * half;
      g.appendChild(tip(svg("text", { x: labelW - 6, y: y + 13, "text-anchor": "end" },
                            shorten(it.label, 34)), it.label));
      g.appendChild(tip(svg("rect", { x: p >= 0 ? cx : cx - len, y: y + 2, width: Math.max(len, 1),
                                      height: rowH - 6, rx: 2, "class": "bar",
                                      fill: p > 0 ? "var(--up)" : p < 0 ? "var(--down)" : "var(--grid)" }),
                        it.tip));
      g.appendChild(svg("text", { x: cx + half + 8, y: y + 13, "class": "muted" }, fmtPct(it.pct)));
    });
    return g;
  }

  /* Line chart over the sessions: series [{name, color, points: [[s, v]]}]. */
  function lineChart(series, m, opts) {
    var w = opts.w || 1100, h = opts.h || 240, l = opts.small ? 8 : 56, r = 10, t = 10,
        b = opts.small ? 8 : 34;
    var n = Math.max(sessions.length - 1, 1), max = 0;
    series.forEach(function (s) { s.points.forEach(function (p) { max = Math.max(max, p[1]); }); });
    max = max > 0 ? max * 1.1 : 1;
    function X(s) { return l + (sessions.length === 1 ? (w - l - r) / 2 : s / n * (w - l - r)); }
    function Y(v) { return t + (1 - v / max) * (h - t - b); }
    var g = chart(w, h, "history");
    if (!opts.small) {
      [0, 0.5, 1].forEach(function (f) {
        var v = max / 1.1 * f;
        g.appendChild(svg("line", { x1: l, x2: w - r, y1: Y(v), y2: Y(v), "class": "gridline" }));
        g.appendChild(svg("text", { x: l - 4, y: Y(v) + 4, "text-anchor": "end", "class": "muted" },
                          v.toFixed(m.digits)));
      });
      g.appendChild(svg("text", { x: l, y: h - 8, "class": "muted" }, sessions[0].date.slice(0, 16)));
      g.appendChild(svg("text", { x: w - r, y: h - 8, "text-anchor": "end", "class": "muted" },
                        sessions[focus].date.slice(0, 16)));
      g.appendChild(svg("line", { x1: l, x2: l, y1: t, y2: h - b, "class": "axis" }));
    }
    g.appendChild(svg("line", { x1: l, x2: w - r, y1: h - b, y2: h - b, "class": "axis" }));
    series.forEach(function (s) {
      if (!s.points.length) return;
      var d = s.points.map(function (p, i) {
        return (i ? "L" : "M") + X(p[0]).toFixed(1) + " " + Y(p[1]).toFixed(1);
      }).join(" ");
      g.appendChild(svg("path", { d: d, fill: "none", stroke: s.color, "stroke-width": 2,
                                  "class": "line" }));
      s.points.forEach(function (p) {
        g.appendChild(tip(svg("circle", { cx: X(p[0]), cy: Y(p[1]), r: opts.small ? 2.5 : 3.5,
                                          fill: s.color, "class": "point" }),
                          s.name + "\n" + sessions[p[0]].date + "  " + sessions[p[0]].h.slice(0, 12) +
                          "\n" + fmt(p[1], m)));
      });
    });
    return g;
  }

  function historyOf(t, mi) {
    var pts = [];
    values.forEach(function (byTest, s) { if (byTest[t]) pts.push([s, byTest[t][mi]]); });
    return pts;
  }
  function testsBy(s, mi) {
    return Object.keys(values[s] || {}).map(Number).sort(function (a, b) {
      return values[s][b][mi] - values[s][a][mi];
    });
  }
  function card(value, label, delta) {
    var c = html("div", { "class": "card" }, [html("div", { "class": "v" }, [value]),
                                               html("div", { "class": "l" }, [label])]);
    if (delta) c.appendChild(delta);
    return c;
  }
  function section(title, children) {
    return html("section", {}, [html("h2", {}, [title])].concat(children));
  }

  function totals(s) {
    var out = { n: 0, time: 0, cpu: 0, mem: 0 };
    Object.keys(values[s] || {}).forEach(function (t) {
      var v = values[s][t];
      if (tests[t].kind !== "function") return;
      out.n++; out.time += v[0]; out.cpu += v[1]; out.mem = Math.max(out.mem, v[2]);
    });
    return out;
  }

  function render() {
    var app = document.getElementById("app");
    app.textContent = "";
    if (!sessions.length) {
      app.appendChild(html("p", {}, ["No sessions in " + data.database + "."]));
      return;
    }
    var S = sessions[focus], prev = focus > 0 ? focus - 1 : -1;
    var meta = html("div", { "class": "meta" }, [
      "Session ", html("code", {}, [S.h.slice(0, 12)]), " run " + S.date +
      (S.scm ? ", SCM " + S.scm.slice(0, 12) : "") + " \u00b7 " + data.database +
      " \u00b7 " + sessions.length + " session(s) shown \u00b7 generated " + data.generated]);
    if (S.desc && S.desc !== "{}") meta.appendChild(html("div", {}, ["Description: " + S.desc]));
    app.appendChild(meta);

    /* Summary cards with the change from the previous session. */
    var cur = totals(focus), old = prev >= 0 ? totals(prev) : null;
    var cards = html("div", { "class": "cards", id: "summary" });
    [["n", "function items", null], ["time", "total wall time", METRICS[0]],
     ["cpu", "total CPU time", METRICS[1]], ["mem", "peak memory", METRICS[2]]].forEach(function (c) {
      var d = null;
      if (old && c[2]) {
        var p = pct(cur[c[0]], old[c[0]]);
        d = html("div", { "class": "delta " + (p > 0 ? "up" : "down") }, [fmtPct(p) + " vs previous"]);
      }
      cards.appendChild(card(c[2] ? fmt(cur[c[0]], c[2]) : String(cur.n), c[1], d));
    });
    app.appendChild(cards);

    /* Top consumers of the focus session. */
    var grid = html("div", { "class": "grid3" });
    METRICS.slice(0, 3).forEach(function (m, mi) {
      var items = testsBy(focus, mi).slice(0, top).map(function (t) {
        return { label: tests[t].name, value: values[focus][t][mi],
                 tip: tests[t].name + "\n" + fmt(values[focus][t][mi], m) };
      });
      grid.appendChild(html("div", { "class": "chart", "data-metric": m.key },
                            [html("h3", {}, ["By " + m.label]), barChart(items, m)]));
    });
    app.appendChild(section("Top consumers", [grid]));

    /* Session to session. */
    if (prev >= 0) {
      var cmp = html("div", { "class": "grid3" });
      [0, 2].forEach(function (mi) {
        var m = METRICS[mi];
        var items = Object.keys(values[focus]).filter(function (t) { return values[prev][t]; })
          .map(function (t) {
            var a = values[focus][t][mi], b = values[prev][t][mi];
            return { label: tests[t].name, pct: pct(a, b), abs: Math.abs(a - b),
                     tip: tests[t].name + "\n" + fmt(b, m) + " \u2192 " + fmt(a, m) };
          })
          .sort(function (x, y) { return y.abs - x.abs; }).slice(0, top);
        cmp.appendChild(html("div", { "class": "chart", "data-metric": m.key }, [
          html("h3", {}, [m.label + ": largest changes"]),
          items.length ? changeChart(items) : html("p", {}, ["No test ran in both sessions."])]));
      });
      app.appendChild(section("Compared with the previous session (" +
                              sessions[prev].h.slice(0, 12) + ", " + sessions[prev].date + ")", [cmp]));
    }

    /* History: session totals, then one small chart per top test. */
    var hist = html("div", {});
    var tot = sessions.map(function (_, s) { return totals(s); });
    hist.appendChild(html("div", { "class": "legend" }, [
      html("span", {}, [html("i", { style: "background:var(--time)" }), "total wall time"]),
      html("span", {}, [html("i", { style: "background:var(--cpu)" }), "total CPU time"])]));
    hist.appendChild(lineChart([
      { name: "total wall time", color: "var(--time)", points: tot.map(function (t, s) { return [s, t.time]; }) },
      { name: "total CPU time", color: "var(--cpu)", points: tot.map(function (t, s) { return [s, t.cpu]; }) }
    ], METRICS[0], {}));
    var pick = html("select", { id: "metric" });
    METRICS.slice(0, 3).forEach(function (m, i) { pick.appendChild(html("option", { value: i }, [m.label])); });
    var multiples = html("div", { "class": "multiples", id: "multiples" });
    function drawMultiples() {
      var mi = Number(pick.value), m = METRICS[mi];
      multiples.textContent = "";
      testsBy(focus, 0).slice(0, top).forEach(function (t) {
        var pts = historyOf(t, mi);
        var last = pts.length ? fmt(pts[pts.length - 1][1], m) : "";
        multiples.appendChild(html("div", { "class": "m" }, [
          html("h3", { title: tests[t].name }, [tests[t].name]),
          lineChart([{ name: tests[t].name, color: m.color, points: pts }], m,
                    { small: true, w: 260, h: 70 }),
          html("div", { "class": "l" }, [last + " in this session"])]));
      });
    }
    pick.addEventListener("change", drawMultiples);
    drawMultiples();
    app.appendChild(section("History over sessions", [hist,
      html("div", { "class": "controls" }, ["Per test (slowest first): ", pick]), multiples]));

    /* Every item of the session, sortable. */
    var cols = [["Test", null], ["TOTAL_TIME (s)", 0], ["CPU (s)", 1], ["MEM_USAGE (MB)", 2],
                ["CPU_USAGE", 3], ["\u0394 time", "dt"], ["\u0394 mem", "dm"]];
    var rows = Object.keys(values[focus]).map(function (t) {
      var v = values[focus][t], p = prev >= 0 ? values[prev][t] : null;
      return { t: Number(t), v: v, dt: p ? pct(v[0], p[0]) : null, dm: p ? pct(v[2], p[2]) : null };
    });
    var table = html("table", { id: "items" }), thead = html("tr", {}), tbody = html("tbody", {});
    var sortKey = 0, desc = true;
    function key(r, k) { return k === null ? tests[r.t].name : typeof k === "number" ? r.v[k] : (r[k] === null ? -Infinity : r[k]); }
    function drawRows() {
      rows.sort(function (a, b) {
        var x = key(a, cols[sortKey][1]), y = key(b, cols[sortKey][1]);
        return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
      });
      tbody.textContent = "";
      rows.forEach(function (r) {
        var name = tests[r.t].name + (outcomes[r.t] ? " (" + outcomes[r.t] + ")" : "");
        var tr = html("tr", outcomes[r.t] ? { "class": "bad" } : {}, [html("td", { "class": "name" }, [name])]);
        [0, 1, 2, 3].forEach(function (k) { tr.appendChild(html("td", {}, [r.v[k].toFixed(METRICS[k].digits)])); });
        ["dt", "dm"].forEach(function (k) {
          tr.appendChild(html("td", { "class": "delta " + (r[k] > 0 ? "up" : "down") },
                              [r[k] === null ? "" : fmtPct(r[k])]));
        });
        tbody.appendChild(tr);
      });
    }
    cols.forEach(function (c, i) {
      var th = html("th", i ? {} : { "class": "name" }, [c[0]]);
      th.addEventListener("click", function () { desc = sortKey === i ? !desc : i !== 0; sortKey = i; drawRows(); });
      thead.appendChild(th);
    });
    table.appendChild(html("thead", {}, [thead]));
    table.appendChild(tbody);
    sortKey = 1;
    drawRows();
    app.appendChild(section("All items of this session", [table]));
  }

  try {
    render();
    document.body.setAttribute("data-rendered", "ok");
  } catch (e) {
    document.body.setAttribute("data-rendered", "error");
    document.getElementById("app").appendChild(html("p", { id: "error" }, ["Rendering failed: " + e]));
  }
})();
