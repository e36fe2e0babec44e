// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("submit", function (event) {
  var form = event.target;
  // The question may sit on the form, or on the button when one form has several (save draft / submit).
  var button = event.submitter;
  var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  } else if (question && form.hasAttribute("data-confirm-final") && !form.querySelector("input[name=confirmed]")) {
    // The dialog was the confirmation the server asks for: say so, so it does not answer with its own page.
    var confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirmed";
    confirmed.value = "1";
    form.appendChild(confirmed);
  }
});

// A page answered with errors: the summary at the top takes the focus, so a screen reader reads it and the
// keyboard starts from it; its links move the focus to the field itself (not only scroll to it).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) {
      return;
    }
    var control = target.matches("input, select, textarea, button") ? target : target.querySelector("input, select, textarea");
    if (control) {
      event.preventDefault();
      control.focus();
      control.scrollIntoView({block: "center"});
    }
  });
});

// The main menu (a <details> in base.html) works without JavaScript; this only adds Escape to close it on
// phones, and opens it on wide screens in browsers that cannot show a closed <details>' content (app.css).
document.addEventListener("DOMContentLoaded", function () {
  var menu = document.getElementById("nav-menu");
  if (!menu) {
    return;
  }
  var wide = window.matchMedia("(min-width: 48em)");
  var showsClosedContent = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (!showsClosedContent && wide.matches) {
    menu.open = true;
  }
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
});
