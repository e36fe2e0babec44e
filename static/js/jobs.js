// The job page's live progress (progressive enhancement: without JavaScript the page reloads itself through the
// <noscript> refresh). Polls the JSON status every second, moves the <progress> bar and its text, and reloads the
// page once the job has finished, so the server renders the download link or the error message.
(function () {
  "use strict";

  var POLL_MS = 1000;

  function start() {
    var box = document.getElementById("job");
    if (!box || !box.getAttribute("data-status-url")) {
      return;
    }
    var url = box.getAttribute("data-status-url");
    var bar = document.getElementById("job-progress");
    var text = document.getElementById("job-progress-text");
    var state = document.getElementById("job-state");

    function poll() {
      fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (status) {
          bar.value = status.percent;
          bar.textContent = status.percent + "%";
          text.textContent = status.progress_text;
          state.textContent = status.state_label;
          if (status.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, POLL_MS);
          }
        })
        .catch(function () {
          window.setTimeout(poll, POLL_MS * 5);  // the server is away for a moment: try again, more slowly
        });
    }

    window.setTimeout(poll, POLL_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
