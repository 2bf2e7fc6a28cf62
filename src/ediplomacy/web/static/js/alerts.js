// Hourly volume of a watch rule around an alert, the burst hours highlighted (vendored Chart.js).
"use strict";

(function () {
  const NAVY = "#1f4e79";
  const RED = "#c8102e";

  function label(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(date.getUTCDate())}/${pad(date.getUTCMonth() + 1)} ${pad(date.getUTCHours())}:00`;
  }

  function draw(canvas) {
    let series;
    try { series = JSON.parse(canvas.dataset.alertSeries); } catch (e) { return; }
    const start = Date.parse(series.start);
    const from = Date.parse(canvas.dataset.windowStart);
    const to = Date.parse(canvas.dataset.windowEnd);
    const hours = series.counts.map((_, i) => new Date(start + i * 3600000));
    const inBurst = hours.map((h) => h.getTime() >= from && h.getTime() < to);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: hours.map(label),
        datasets: [{
          label: canvas.dataset.label || "",
          data: series.counts,
          backgroundColor: inBurst.map((b) => (b ? RED : NAVY)),
          barPercentage: 1.0,
          categoryPercentage: 0.9,
        }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
    canvas.dataset.chartReady = "true";
    canvas.dataset.burstBars = String(inBurst.filter(Boolean).length);
  }

  function start() {
    if (!window.Chart) { return; }
    document.querySelectorAll("canvas[data-alert-series]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
