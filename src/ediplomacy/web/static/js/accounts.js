// One account's posting times (vendored Chart.js): the gap before each post, posts by hour
// of the day and by second of the minute. A scheduler shows as a flat line and narrow bars.
"use strict";

(function () {
  const NAVY = "#1f4e79";

  function stamp(ms) {
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  }

  function bars(canvas, labels, counts) {
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [{ data: counts, backgroundColor: NAVY, barPercentage: 1.0, categoryPercentage: 0.9 }] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { ticks: { autoSkip: true, maxRotation: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    canvas.dataset.chartReady = "true";
  }

  function draw(box) {
    let times;
    try { times = JSON.parse(box.dataset.accountTimes); } catch (e) { return; }
    const gaps = [];
    for (let i = 1; i < times.length; i++) {
      gaps.push({ x: times[i] * 1000, y: Math.max(times[i] - times[i - 1], 0.5) });
    }
    const gapCanvas = document.getElementById("chart-gaps");
    if (gapCanvas) {
      new window.Chart(gapCanvas, {
        type: "scatter",
        data: { datasets: [{ data: gaps, backgroundColor: NAVY, pointRadius: gaps.length > 300 ? 2 : 3 }] },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { type: "linear", ticks: { callback: stamp, maxTicksLimit: 6, maxRotation: 0 } },
            y: { type: "logarithmic" },
          },
        },
      });
      gapCanvas.dataset.chartReady = "true";
      gapCanvas.dataset.points = String(gaps.length);
    }
    const hours = new Array(24).fill(0);
    const seconds = new Array(60).fill(0);
    times.forEach((t) => {
      hours[Math.floor(t / 3600) % 24] += 1;
      seconds[Math.floor(t) % 60] += 1;
    });
    const hourCanvas = document.getElementById("chart-hours");
    if (hourCanvas) { bars(hourCanvas, hours.map((_, h) => String(h).padStart(2, "0")), hours); }
    const secondCanvas = document.getElementById("chart-seconds");
    if (secondCanvas) { bars(secondCanvas, seconds.map((_, s) => ":" + String(s).padStart(2, "0")), seconds); }
  }

  function start() {
    if (!window.Chart) { return; }
    document.querySelectorAll("[data-account-times]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
