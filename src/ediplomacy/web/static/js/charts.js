// Draws the overview charts with the vendored Chart.js, from GET /api/v1/stats/overview.
"use strict";

(function () {
  const COLORS = ["#1f4e79", "#c8102e", "#2a9d8f", "#e9a23b", "#6c5ce7", "#3d8bd4",
    "#8a5a44", "#5b6776", "#d16ba5", "#86a33b", "#0b7285", "#b35c00", "#495057", "#9c36b5",
    "#2b8a3e", "#adb5bd"];

  function names(canvas) {
    try { return JSON.parse(canvas.dataset.names || "{}"); } catch (e) { return {}; }
  }

  function draw(canvas, type, labels, values, options) {
    const chart = new window.Chart(canvas, {
      type: type,
      data: {
        labels: labels,
        datasets: [{
          label: canvas.dataset.label || "",
          data: values,
          borderColor: type === "line" ? COLORS[0] : undefined,
          backgroundColor: type === "line" ? "rgba(31,78,121,.15)" : labels.map((_, i) => COLORS[i % COLORS.length]),
          fill: type === "line",
          tension: 0.2,
          pointRadius: values.length > 60 ? 0 : 2,
        }],
      },
      options: Object.assign({
        animation: false,  // figures must be readable at once, and testable
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      }, options || {}),
    });
    canvas.dataset.chartReady = "true";
    return chart;
  }

  function render(stats) {
    const perDay = document.getElementById("chart-posts-per-day");
    if (perDay) {
      draw(perDay, "line", stats.per_day.map((d) => d.day), stats.per_day.map((d) => d.count), {
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      });
    }
    const platforms = document.getElementById("chart-platforms");
    if (platforms) {
      const label = names(platforms);
      draw(platforms, "bar", stats.platforms.map((p) => label[p.label] || p.label),
        stats.platforms.map((p) => p.count));
    }
    const languages = document.getElementById("chart-languages");
    if (languages) {
      const label = names(languages);
      draw(languages, "bar", stats.languages.map((l) => label[l.label] || l.label),
        stats.languages.map((l) => l.count),
        { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } });
    }
  }

  function start() {
    const box = document.querySelector("[data-overview-source]");
    if (!box || !window.Chart) { return; }
    fetch(box.dataset.overviewSource, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(render)
      .catch(() => {
        const message = document.getElementById("chart-error");
        if (message) { message.hidden = false; }
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
