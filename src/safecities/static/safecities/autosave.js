// Autosave that never claims a save it did not make.
//
// A form with `data-autosave-failed` (the message) and `data-autosave-status` (the id of its
// status region) autosaves through htmx. The page's own answer carries an `X-Autosave` header
// ("saved" or "refused", its message inside). Any other answer — a server error, an error or
// login page after a redirect — or none at all (the network, a time-out) shows the failure
// message in the status region instead, and leaves the form, and everything typed in it, as it is.
(function () {
  "use strict";

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave-failed]") : null;
  }

  function showFailure(form) {
    var status = document.getElementById(form.getAttribute("data-autosave-status"));
    if (!status) {
      return;
    }
    var message = document.createElement("span");
    message.className = "ds-validation-message";
    message.textContent = form.getAttribute("data-autosave-failed");
    status.replaceChildren(message);
    status.setAttribute("data-autosave", "failed");
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = autosaveForm(event.detail.elt);
    if (!form) {
      return;
    }
    var xhr = event.detail.xhr;
    var answer = xhr.status === 200 ? xhr.getResponseHeader("X-Autosave") : null;
    if (answer === "saved" || answer === "refused") {
      var status = document.getElementById(form.getAttribute("data-autosave-status"));
      if (status) {
        status.setAttribute("data-autosave", answer);
      }
      return;
    }
    event.detail.shouldSwap = false;
    showFailure(form);
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = autosaveForm(event.detail.elt);
      if (form) {
        showFailure(form);
      }
    });
  });
})();
