/* Home page charts, drawn with the vendored Chart.js from data the page embeds with json_script. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var labels = read("chart-labels") || {};
  var byField = read("data-by-field");
  var byYear = read("data-by-year");
  var red = "#b3141b", gold = "#f4c430";
  var number = new Intl.NumberFormat("vi-VN");
  var common = {
    responsive: true, maintainAspectRatio: false,
    plugins: { legend: { position: "bottom" } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0, callback: function (v) { return number.format(v); } } } }
  };
  var fieldCanvas = document.getElementById("chart-field");
  if (fieldCanvas && byField) {
    new Chart(fieldCanvas, {
      type: "bar",
      data: { labels: byField.labels, datasets: [{ label: labels.models, data: byField.values, backgroundColor: red }] },
      options: Object.assign({}, common, { indexAxis: "x", plugins: { legend: { display: false } } })
    });
  }
  var yearCanvas = document.getElementById("chart-year");
  if (yearCanvas && byYear) {
    new Chart(yearCanvas, {
      type: "bar",
      data: {
        labels: byYear.labels,
        datasets: [
          { label: labels.registered, data: byYear.registered, backgroundColor: gold },
          { label: labels.accepted, data: byYear.accepted, backgroundColor: red }
        ]
      },
      options: common
    });
  }
})();
