// Draws the dashboard's charts from the JSON block #dashboard-data (the same figures as the
// tables under each chart). Clicking a bar, a point or a country opens the explorer with the
// dashboard's filters, the series' filters and, for a point in time, the bucket's window.
"use strict";

(function () {
  const COLORS = ["#1f4e79", "#c8102e", "#2a9d8f", "#e9a23b", "#6c5ce7", "#3d8bd4",
    "#8a5a44", "#5b6776", "#d16ba5", "#86a33b", "#0b7285", "#b35c00"];
  const SENTIMENT_COLORS = { negative: "#c8102e", neutral: "#adb5bd", positive: "#1d7a46", und: "#e9ecef" };
  const STANCE_COLORS = { favour: "#1d7a46", against: "#c8102e", neutral: "#adb5bd" };
  const OTHER_COLOR = "#dee2e6";

  function explorerUrl(data, params) {
    const query = new URLSearchParams(data.filters);
    params.forEach((part) => Object.entries(part || {}).forEach(([k, v]) => query.set(k, v)));
    return "/listen?" + query.toString();
  }

  function go(url) { window.location.assign(url); }

  function ready(canvas, chart) {
    canvas.dataset.chartReady = "true";
    canvas.style.cursor = "pointer";
    return chart;
  }

  // A stacked bar chart over the buckets: one dataset per series, "other" last (no drill-down).
  function timeChart(canvas, data, chart, options) {
    const opts = options || {};
    const datasets = chart.series.map((s, i) => ({
      label: s.label,
      data: opts.share ? share(chart, i) : s.counts,
      backgroundColor: (opts.colors && opts.colors[s.key]) || COLORS[i % COLORS.length],
      borderColor: (opts.colors && opts.colors[s.key]) || COLORS[i % COLORS.length],
      drill: s.params,
    }));
    if (chart.other && chart.other.length && !opts.share) {
      datasets.push({ label: opts.otherLabel || "…", data: chart.other, backgroundColor: OTHER_COLOR, drill: null });
    }
    return ready(canvas, new window.Chart(canvas, {
      type: opts.type || "bar",
      data: { labels: data.bucket_labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "nearest", intersect: true },
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: { stacked: opts.type !== "line", ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: opts.share
            ? { stacked: true, min: 0, max: 100, ticks: { callback: (v) => v + "%" } }
            : { stacked: opts.type !== "line", beginAtZero: true, ticks: { precision: 0 } },
        },
        onClick: (event, elements, instance) => {
          if (!elements.length) { return; }
          const element = elements[0];
          const dataset = instance.data.datasets[element.datasetIndex];
          if (!dataset.drill) { return; }
          go(explorerUrl(data, [dataset.drill, data.windows[element.index]]));
        },
      },
    }));
  }

  function share(chart, index) {
    return chart.series[index].counts.map((count, bucket) => {
      const total = chart.series.reduce((sum, s) => sum + s.counts[bucket], 0);
      return total ? Math.round(1000 * count / total) / 10 : 0;
    });
  }

  function mapChart(canvas, data, atlas) {
    const byNumeric = {};
    data.map.forEach((c) => { if (c.numeric) { byNumeric[c.numeric] = c; } });
    const countries = window.ChartGeo.topojson.feature(atlas, atlas.objects.countries).features;
    let metric = "posts";
    const values = () => countries.map((feature) => {
      const found = byNumeric[feature.id];
      let value = NaN;
      if (found) { value = metric === "posts" ? found.posts : (found.sentiment === null ? NaN : found.sentiment); }
      return { feature: feature, value: value };
    });
    const colorScale = () => (metric === "posts"
      ? { axis: "x", interpolate: "blues", missing: "#f1f3f5", legend: { position: "bottom-left" } }
      : { axis: "x", interpolate: "rdYlGn", missing: "#f1f3f5", min: -1, max: 1, legend: { position: "bottom-left" } });
    const chart = new window.Chart(canvas, {
      type: "choropleth",
      data: {
        labels: countries.map((f) => (f.properties && f.properties.name) || f.id),
        datasets: [{
          label: canvas.dataset.postsLabel,
          data: values(),
          outline: countries,
          borderColor: "#ced4da",
          borderWidth: 0.5,
        }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        showOutline: false,
        showGraticule: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => {
                const found = byNumeric[item.raw.feature.id];
                if (!found) { return item.label + ": 0"; }
                const mood = found.sentiment === null ? "–" : found.sentiment.toFixed(2);
                return `${found.name}: ${found.posts} · ${canvas.dataset.sentimentLabel} ${mood}`;
              },
            },
          },
        },
        scales: { projection: { axis: "x", projection: "equalEarth" }, color: colorScale() },
        onClick: (event, elements) => {
          if (!elements.length) { return; }
          const found = byNumeric[countries[elements[0].index].id];
          if (found) { go(explorerUrl(data, [found.params])); }
        },
      },
    });
    document.querySelectorAll("[data-map-metric]").forEach((button) => {
      button.addEventListener("click", () => {
        metric = button.dataset.mapMetric;
        document.querySelectorAll("[data-map-metric]").forEach((b) => {
          b.setAttribute("aria-pressed", String(b === button));
        });
        chart.data.datasets[0].data = values();
        chart.data.datasets[0].label = metric === "posts" ? canvas.dataset.postsLabel : canvas.dataset.sentimentLabel;
        chart.options.scales.color = colorScale();
        chart.update();
        canvas.dataset.metric = metric;
      });
    });
    canvas.dataset.metric = metric;
    return ready(canvas, chart);
  }

  function showError() {
    const message = document.getElementById("chart-error");
    if (message) { message.hidden = false; }
  }

  function start() {
    const block = document.getElementById("dashboard-data");
    if (!block || !window.Chart) { return; }
    const data = JSON.parse(block.textContent);
    const byId = (id) => document.getElementById(id);
    try {
      timeChart(byId("chart-volume"), data, data.volume, { otherLabel: byId("chart-volume").dataset.otherLabel });
      timeChart(byId("chart-sentiment"), data, data.sentiment, { share: true, colors: SENTIMENT_COLORS });
      timeChart(byId("chart-voice"), data, data.share_of_voice, { type: "line" });
      document.querySelectorAll("canvas.chart-stance").forEach((canvas) => {
        timeChart(canvas, data, data.stance[Number(canvas.dataset.index)].chart, { colors: STANCE_COLORS });
      });
    } catch (error) {
      showError();
      throw error;
    }
    const map = byId("chart-map");
    if (map && window.ChartGeo) {
      fetch(map.dataset.atlas, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then((atlas) => mapChart(map, data, atlas))
        .catch(showError);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
