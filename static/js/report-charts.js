/* Statistics page charts, drawn with the vendored Chart.js (as the home page's) from data embedded with
   json_script; the table under each chart holds the same figures. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  var charts = read("report-charts");
  var labels = read("report-chart-labels") || {};
  if (!charts) { return; }
  var red = "#b3141b", gold = "#f4c430";
  var number = new Intl.NumberFormat("vi-VN");
  function options(legend, horizontal) {
    return {
      responsive: true, maintainAspectRatio: false, indexAxis: horizontal ? "y" : "x",
      plugins: { legend: { display: legend, position: "bottom" } },
      scales: { x: { beginAtZero: true, ticks: { callback: horizontal ? function (v) { return number.format(v); } : undefined } },
                y: { beginAtZero: true, ticks: { precision: 0, callback: horizontal ? undefined : function (v) { return number.format(v); } } } }
    };
  }
  function bar(id, data, datasets, legend, horizontal) {
    var canvas = document.getElementById(id);
    if (canvas && data) {
      new Chart(canvas, { type: "bar", data: { labels: data.labels, datasets: datasets }, options: options(legend, horizontal) });
    }
  }
  bar("chart-report-field", charts.field, [{ label: labels.registered, data: charts.field.values, backgroundColor: red }], false);
  bar("chart-report-locality", charts.locality, [{ label: labels.registered, data: charts.locality.values, backgroundColor: red }], false, true);
  bar("chart-report-year", charts.year, [
    { label: labels.registered, data: charts.year.registered, backgroundColor: gold },
    { label: labels.accepted, data: charts.year.accepted, backgroundColor: red }], true);
  bar("chart-report-rating", charts.rating, [{ label: labels.models, data: charts.rating.values, backgroundColor: red }], false);
  bar("chart-report-value", charts.value, [{ label: labels.value, data: charts.value.values, backgroundColor: gold }], false);
  bar("chart-report-commendations", charts.commendations, [
    { label: labels.collective, data: charts.commendations.collective, backgroundColor: red },
    { label: labels.individual, data: charts.commendations.individual, backgroundColor: gold }], true, true);
})();
