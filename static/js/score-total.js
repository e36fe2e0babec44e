// The score sheet's running total, recomputed as the member types (progressive enhancement: without JavaScript
// the page shows the total of the saved sheet). Same formula as honours/reviews/totals.py: the sum over the
// criteria of points / max * weight, on a 100-point scale, to the cent; a criterion without valid points counts 0.
(function () {
  "use strict";

  function points(input) {
    var text = (input.value || "").trim().replace(",", ".");
    if (text === "" || !/^\d+(\.\d+)?$/.test(text)) {
      return null;
    }
    var value = Number(text);
    var max = Number(input.getAttribute("max"));
    return value >= 0 && value <= max ? value : null;
  }

  function format(total) {
    var text = (Math.round(total * 100 + 1e-9) / 100).toFixed(2);
    return (document.documentElement.lang || "vi") === "vi" ? text.replace(".", ",") : text;
  }

  function update(form) {
    var output = form.querySelector("#running-total");
    if (!output) {
      return;
    }
    var total = 0;
    form.querySelectorAll("input[data-weight]").forEach(function (input) {
      var value = points(input);
      if (value !== null) {
        total += value / Number(input.getAttribute("max")) * Number(input.getAttribute("data-weight"));
      }
    });
    output.textContent = format(total);
    var note = document.getElementById("running-total-note");
    if (note && note.getAttribute("data-live")) {
      note.textContent = note.getAttribute("data-live");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-score-sheet]").forEach(function (form) {
      form.addEventListener("input", function (event) {
        if (event.target.hasAttribute("data-weight")) {
          update(form);
        }
      });
    });
  });
})();
