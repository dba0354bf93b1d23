/* A report being built: ask for its progress every two seconds until it is ready or has failed. */
(function () {
  "use strict";
  var box = document.getElementById("report-job");
  if (!box || box.dataset.finished === "1") { return; }
  function field(name) { return box.querySelector('[data-field="' + name + '"]'); }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        field("status_label").textContent = job.status_label;
        field("progress").textContent = job.progress;
        box.querySelector("progress").value = job.progress;
        if (job.download_url) {
          field("download").href = job.download_url;
          field("ready").hidden = false;
        }
        if (job.status === "failed") { field("failed").hidden = false; }
        if (!job.finished) { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
