// The upload's progress page: asks the status endpoint every second and, once
// the worker has finished, reloads the page, which then shows the outcome.
// Without JavaScript the page's "refresh" link does the same.
(function () {
  "use strict";
  var box = document.querySelector(".import-job-status");
  if (!box || !window.fetch) return;
  var url = box.getAttribute("data-status-url");
  var label = box.querySelector(".import-job-label");
  var processed = box.querySelector(".import-job-processed");

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        if (state.finished) {
          window.location.reload();
          return;
        }
        if (label) label.textContent = state.label;
        if (processed) processed.textContent = state.processed;
        window.setTimeout(ask, 1000);
      })
      .catch(function () {
        window.setTimeout(ask, 5000);
      });
  }
  window.setTimeout(ask, 1000);
})();
