// Honouree page: a "copy link" button next to the share URL (without JavaScript the URL field is still there to
// select and copy by hand).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () { if (status) { status.textContent = button.getAttribute("data-copied"); } };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { field.select(); });
      } else {
        field.select();
        try { document.execCommand("copy"); done(); } catch (e) { /* the field stays selected */ }
      }
    });
  });
}());
