// Metric charts drawn in the browser with uPlot, from /ui-api/metric-history (each series at most 2,000 points,
// reduced on the server by LTTB). Hover shows values, dragging zooms (double-click resets), and the page's controls
// choose the x axis (step, time, relative time), smoothing and a log scale.
"use strict";
(function () {
  var COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  /** Every chart on the page, with what it drew and how long that took: read by tests and benchmarks. */
  var charts = [];
  window.yardstickCharts = charts;

  function setting(id, fallback) {
    var el = document.getElementById(id);
    if (!el) return fallback;
    return el.type === "checkbox" ? el.checked : el.value;
  }

  /** Rounds a tick or value to 4 significant digits, so axes read 0.3, not 0.30000000000000004. */
  function round(v) {
    if (v == null || !isFinite(v)) return v == null ? "" : String(v);
    if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4)) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
  }

  /** Exponential moving average, debiased at the start like TensorBoard's smoothing. */
  function smooth(values, weight) {
    if (!(weight > 0)) return values;
    var out = new Array(values.length), last = 0, debias = 0;
    for (var i = 0; i < values.length; i++) {
      last = last * weight + (1 - weight) * values[i];
      debias = debias * weight + (1 - weight);
      out[i] = last / debias;
    }
    return out;
  }

  function xValues(s, mode) {
    if (mode === "time") return s.timestamps.map(function (t) { return t / 1000; });
    if (mode === "relative") {
      var t0 = s.timestamps.length ? s.timestamps[0] : 0;
      return s.timestamps.map(function (t) { return (t - t0) / 1000; });
    }
    return s.steps;
  }

  /** uPlot wants one ascending x array shared by all series: sort each series by x, then join them. */
  function table(s, mode, weight, log) {
    var x = xValues(s, mode), y = smooth(s.values, weight), idx = x.map(function (_, i) { return i; });
    idx.sort(function (a, b) { return x[a] - x[b] || a - b; });
    var xs = [], ys = [];
    idx.forEach(function (i) {
      if (xs.length && xs[xs.length - 1] === x[i]) { ys[ys.length - 1] = log && y[i] <= 0 ? null : y[i]; return; }
      xs.push(x[i]);
      ys.push(log && y[i] <= 0 ? null : y[i]);
    });
    return [xs, ys];
  }

  function draw(chart) {
    var el = chart.el, data = chart.data;
    var mode = setting("x-axis", "step"), weight = parseFloat(setting("smoothing", "0")), log = setting("log-scale", false);
    var shown = data.series.filter(function (s) { return s.values.length > 0; });
    var box = el.querySelector(".plot");
    if (chart.plot) { chart.plot.destroy(); chart.plot = null; }
    box.textContent = "";
    if (!shown.length) { box.textContent = "None of these runs has a finite value of this metric."; el.dataset.series = "0"; el.dataset.drawn = "true"; return; }
    var tables = shown.map(function (s) { return table(s, mode, weight, log); });
    var aligned = tables.length === 1 ? tables[0] : uPlot.join(tables);
    var most = Math.max.apply(null, shown.map(function (s) { return s.values.length; }));
    var opts = {
      width: Math.max(320, Math.min(document.documentElement.clientWidth - 80, el.id === "experiment-chart" ? 1000 : 620)),
      height: 280,
      cursor: { drag: { x: true, y: false }, sync: { key: "yardstick" } },
      scales: { x: { time: mode === "time" }, y: { distr: log ? 3 : 1 } },
      legend: { live: true },
      series: [{ label: mode === "step" ? "step" : mode === "time" ? "time" : "seconds", value: function (u, v) { return mode === "time" ? (v == null ? "" : new Date(v * 1000).toLocaleString()) : round(v); } }]
        .concat(shown.map(function (s, i) {
          return { label: s.run_name, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true,
            points: { show: most <= 50 }, value: function (u, v) { return round(v); } };
        })),
      axes: [
        { label: mode === "step" ? "step" : mode === "time" ? "" : "seconds since the run's first point",
          values: mode === "time" ? undefined : function (u, ticks) { return ticks.map(round); } },
        { values: function (u, ticks) { return ticks.map(round); }, size: 60 }
      ],
      hooks: { draw: [function () { if (chart.t0 != null) { chart.drawMs = performance.now() - chart.t0; chart.t0 = null; el.dataset.drawn = "true"; } }] }
    };
    chart.points = most;
    el.dataset.points = String(most);
    el.dataset.series = String(shown.length);
    chart.t0 = performance.now();
    chart.plot = new uPlot(opts, aligned, box);
  }

  function load(el) {
    var runs = (el.dataset.runs || "").split(" ").filter(Boolean);
    var chart = charts.find(function (c) { return c.el === el; });
    if (!chart) { chart = { el: el }; charts.push(chart); }
    el.dataset.drawn = "false";
    if (!el.dataset.key || !runs.length) { el.querySelector(".plot").textContent = "Choose runs to chart."; return; }
    var url = "/ui-api/metric-history?key=" + encodeURIComponent(el.dataset.key) +
      runs.map(function (r) { return "&run=" + encodeURIComponent(r); }).join("");
    var started = performance.now();
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      chart.fetchMs = performance.now() - started;
      chart.key = el.dataset.key;
      chart.data = data;
      draw(chart);
    }).catch(function (e) {
      el.querySelector(".plot").textContent = "Could not load the chart: " + e.message;
      el.dataset.drawn = "error";
    });
  }

  /**
   * The experiment page's chart: the chosen metric over the ticked runs, or else over the first twenty runs of the
   * table, nested ones included (a session run often has no metrics of its own; those without the metric are left out).
   */
  function experimentRuns() {
    var ticked = Array.from(document.querySelectorAll("#runs input[name=run]:checked")).map(function (b) { return b.value; });
    if (ticked.length) return ticked.slice(0, 50);
    return Array.from(document.querySelectorAll("#runs tr.run-row")).slice(0, 20).map(function (row) { return row.dataset.run; });
  }

  /** The compare page's scatter: any two numeric rows of the values table, one point (and legend entry) per run. */
  function scatter() {
    var el = document.getElementById("scatter");
    if (!el) return;
    var heads = Array.from(document.querySelectorAll("#compare-values th.run-head"));
    var rows = Array.from(document.querySelectorAll("#compare-values tr[data-key]")).filter(function (row) {
      return row.querySelectorAll("td[data-value]").length >= 2;
    });
    var xs = document.getElementById("scatter-x"), ys = document.getElementById("scatter-y");
    if (rows.length < 2) { el.querySelector(".plot").textContent = "A scatter needs two numeric columns."; el.dataset.drawn = "true"; return; }
    rows.forEach(function (row) {
      [xs, ys].forEach(function (sel) { var o = document.createElement("option"); o.value = o.textContent = row.dataset.key; sel.appendChild(o); });
    });
    // Default: the first param that differs against the first metric, else the first two columns.
    var firstMetric = rows.findIndex(function (r) { return r.dataset.key.indexOf("metrics.") === 0; });
    xs.selectedIndex = firstMetric > 0 ? 0 : 0;
    ys.selectedIndex = firstMetric > 0 ? firstMetric : 1;
    var chart = { el: el };
    charts.push(chart);
    function values(key) {
      var row = rows.find(function (r) { return r.dataset.key === key; });
      return Array.from(row.querySelectorAll("td")).map(function (td) { return td.dataset.value == null ? null : parseFloat(td.dataset.value); });
    }
    function drawScatter() {
      var x = values(xs.value), y = values(ys.value), tables = [];
      var names = [];
      heads.forEach(function (h, i) {
        if (x[i] == null || y[i] == null) return;
        tables.push([[x[i]], [y[i]]]);
        names.push({ name: h.textContent, color: COLORS[i % COLORS.length] });
      });
      if (chart.plot) { chart.plot.destroy(); chart.plot = null; }
      var box = el.querySelector(".plot");
      box.textContent = "";
      el.dataset.series = String(tables.length);
      if (!tables.length) { box.textContent = "No run has both values."; el.dataset.drawn = "true"; return; }
      var aligned = tables.length === 1 ? tables[0] : uPlot.join(tables);
      var pad = function (u, min, max) { var d = (max - min) || Math.abs(max) || 1; return [min - d * 0.1, max + d * 0.1]; };
      chart.t0 = performance.now();
      chart.data = null;
      chart.points = tables.length;
      chart.plot = new uPlot({
        width: 560, height: 360, mode: 1,
        cursor: { drag: { x: true, y: true, uni: 20 }, points: { size: 10 } },
        scales: { x: { time: false, range: pad }, y: { range: pad } },
        series: [{ label: xs.value, value: function (u, v) { return round(v); } }].concat(names.map(function (n) {
          return { label: n.name, stroke: n.color, fill: n.color, paths: function () { return null; },
            points: { show: true, size: 10, fill: n.color }, value: function (u, v) { return round(v); } };
        })),
        axes: [{ label: xs.value, values: function (u, t) { return t.map(round); } },
               { label: ys.value, values: function (u, t) { return t.map(round); }, size: 60 }],
        hooks: { draw: [function () { if (chart.t0 != null) { chart.drawMs = performance.now() - chart.t0; chart.t0 = null; el.dataset.drawn = "true"; } }] }
      }, aligned, box);
    }
    xs.addEventListener("change", drawScatter);
    ys.addEventListener("change", drawScatter);
    drawScatter();
  }

  function init() {
    scatter();
    var picker = document.getElementById("chart-metric");
    var experimentChart = document.getElementById("experiment-chart");
    if (picker && experimentChart) {
      var refresh = function () {
        experimentChart.dataset.key = picker.value;
        experimentChart.dataset.runs = experimentRuns().join(" ");
        load(experimentChart);
      };
      picker.addEventListener("change", refresh);
      document.addEventListener("change", function (e) { if (e.target.matches("#runs input[name=run]")) refresh(); });
      refresh();
    }
    document.querySelectorAll(".chart[data-key]").forEach(function (el) { if (el !== experimentChart) load(el); });
    ["x-axis", "smoothing", "log-scale"].forEach(function (id) {
      var c = document.getElementById(id);
      if (c) c.addEventListener("input", function () { charts.forEach(function (ch) { if (ch.data) draw(ch); }); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
