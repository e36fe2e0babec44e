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
