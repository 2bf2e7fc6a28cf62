// Draws a coordinated cluster's seconds-between-actions histogram from the JSON block
// #coordination-data (the same figures as the table under the chart).
"use strict";

(function () {
  function start() {
    const block = document.getElementById("coordination-data");
    const canvas = document.getElementById("coordination-gaps");
    if (!block || !canvas || !window.Chart) { return; }
    const data = JSON.parse(block.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [{ label: canvas.dataset.label || "", data: data.counts, backgroundColor: "#1f4e79" }],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { title: { display: true, text: canvas.dataset.axis || "" }, ticks: { maxRotation: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
    canvas.dataset.chartReady = "true";
  }

  document.addEventListener("DOMContentLoaded", start);
})();
