// Draws a narrative's timeline (posts per hour or day, stacked by language or by platform) from
// the JSON block #narrative-data, the same figures as the table under the chart.
"use strict";

(function () {
  const COLORS = ["#1f4e79", "#c8102e", "#2a9d8f", "#e9a23b", "#6c5ce7", "#3d8bd4",
    "#8a5a44", "#5b6776", "#d16ba5", "#86a33b", "#0b7285", "#b35c00"];
  const OTHER_COLOR = "#dee2e6";

  function datasets(series, otherLabel, names) {
    return series.map((s, i) => ({
      label: s.key === "other" ? otherLabel : (names[s.key] || s.key),
      data: s.counts,
      backgroundColor: s.key === "other" ? OTHER_COLOR : COLORS[i % COLORS.length],
    }));
  }

  function start() {
    const block = document.getElementById("narrative-data");
    const canvas = document.getElementById("narrative-timeline");
    if (!block || !canvas || !window.Chart) { return; }
    const data = JSON.parse(block.textContent);
    const timeline = data.timeline;
    const names = data.names || {};
    const otherLabel = canvas.dataset.otherLabel || "…";
    const chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: timeline.labels, datasets: datasets(timeline.languages, otherLabel, names) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
    canvas.dataset.chartReady = "true";
    document.querySelectorAll("[data-series]").forEach((button) => {
      button.addEventListener("click", () => {
        document.querySelectorAll("[data-series]").forEach((other) => {
          other.setAttribute("aria-pressed", other === button ? "true" : "false");
        });
        chart.data.datasets = datasets(timeline[button.dataset.series], otherLabel, names);
        chart.update();
        canvas.dataset.series = button.dataset.series;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
