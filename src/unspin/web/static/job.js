// Polls the job's status until its report is stored, then opens the report. No eval, no inline code:
// this file is the only script of the page (the Content-Security-Policy allows our own files only).
"use strict";
(function () {
  var section = document.getElementById("job");
  if (!section) { return; }
  var statusUrl = section.getAttribute("data-status");
  var statusText = document.getElementById("job-status");
  var seconds = document.getElementById("job-seconds");
  var errorBox = document.getElementById("job-error");
  var delay = 300;

  function fail(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    statusText.textContent = "Could not analyse this.";
    section.setAttribute("data-state", "failed");
    var spinner = section.querySelector(".spinner");
    if (spinner) { spinner.remove(); }
  }

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        var job = answer.body;
        if (!answer.ok) {
          fail(job && job.error ? job.error.message : "the server did not answer");
          return;
        }
        if (job.state === "done") {
          section.setAttribute("data-state", "done");
          window.location.assign(job.report);
          return;
        }
        if (job.state === "failed") {
          var code = job.error.exit_code === null ? "" : " (error " + job.error.exit_code + ")";
          fail(job.error.message + code);
          return;
        }
        statusText.textContent = job.ahead > 0
          ? "Waiting for a free worker: " + job.ahead + (job.ahead === 1 ? " analysis" : " analyses") + " ahead."
          : "Analysing: reading the article, then running the detectors.";
        seconds.textContent = job.seconds.toFixed(0) + " s";
        delay = Math.min(delay * 1.5, 2000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 5000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
