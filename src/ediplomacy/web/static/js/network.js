// Draws the echo-chamber charts over time from the JSON block #network-data (the same figures
// as the table under the charts): modularity and E-I index, and the ministry's reach.
"use strict";

(function () {
  const NAVY = "#1f4e79";
  const RED = "#c8102e";
  const GREEN = "#1d7a46";

  function label(point) {
    return point.start.slice(0, 16).replace("T", " ");
  }

  function line(canvas, labels, datasets, y) {
    const chart = new window.Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,  // figures must be readable at once, and testable
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: false,
        plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } },
        scales: { x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8 } }, y: y },
      },
    });
    canvas.dataset.chartReady = "true";
    return chart;
  }

  function dataset(name, values, color) {
    return { label: name, data: values, borderColor: color, backgroundColor: color, tension: 0.2,
      pointRadius: values.length > 60 ? 0 : 2 };
  }

  function render(data) {
    const labels = data.series.map(label);
    const polar = document.getElementById("chart-polarization");
    if (polar) {
      line(polar, labels, [
        dataset(polar.dataset.modularityLabel, data.series.map((p) => p.modularity), NAVY),
        dataset(polar.dataset.eiLabel, data.series.map((p) => p.ei_index), RED),
      ], { min: -1, max: 1 });
    }
    const reach = document.getElementById("chart-reach");
    if (reach) {
      line(reach, labels, [
        dataset(reach.dataset.reachLabel, data.series.map((p) => (p.reach_share === null ? null : Math.round(p.reach_share * 1000) / 10)), GREEN),
      ], { min: 0, max: 100, ticks: { callback: (v) => v + "%" } });
    }
  }

  function start() {
    const block = document.getElementById("network-data");
    if (!block) { return; }
    try {
      if (!window.Chart) { throw new Error("Chart.js is missing"); }
      render(JSON.parse(block.textContent));
    } catch (error) {
      const message = document.getElementById("chart-error");
      if (message) { message.hidden = false; }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
