// Behaviour the pages share, as a static file: the Content-Security-Policy allows no inline
// script and htmx runs without eval (allowEval is off in base.html).

// Autosave forms post on "change", but never for a file input: a file is sent with the form's
// own submit button. (This replaces htmx's `change[target.type!='file']` filter, which eval's.)
document.addEventListener("htmx:confirm", function (event) {
  var trigger = event.detail.triggeringEvent;
  if (trigger && trigger.target && trigger.target.type === "file") {
    event.preventDefault();
  }
});

// Busy buttons: the button that sends a form says "Saving…" (or "Uploading…" when a file goes
// with it), is marked aria-busy and, once the submission has started, is disabled against a
// second click. Its name and value still go with the form (a hidden copy), and it comes back
// when the page is shown again from the back-forward cache or an htmx request ends.
(function () {
  "use strict";

  var body = document.body;

  function uploading(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function busy(button, form) {
    if (!button || button.getAttribute("aria-busy") === "true") {
      return;
    }
    var label = body.getAttribute(uploading(form) ? "data-busy-uploading" : "data-busy-saving");
    button.setAttribute("data-busy-label", button.innerHTML);
    button.setAttribute("aria-busy", "true");
    if (label) {
      button.textContent = label;
    }
  }

  function idle(button) {
    if (button.getAttribute("aria-busy") !== "true") {
      return;
    }
    button.removeAttribute("aria-busy");
    button.disabled = false;
    if (button.hasAttribute("data-busy-label")) {
      button.innerHTML = button.getAttribute("data-busy-label");
      button.removeAttribute("data-busy-label");
    }
    var copy = button.form && button.form.querySelector("input[data-busy-copy]");
    if (copy) {
      copy.remove();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (event.defaultPrevented || !button) {
      return; // a form sent by htmx is marked by its request below
    }
    if (button.name && !form.querySelector("input[data-busy-copy]")) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = button.name;
      copy.value = button.value;
      copy.setAttribute("data-busy-copy", "");
      form.append(copy);
    }
    busy(button, form);
    window.setTimeout(function () {
      if (button.getAttribute("aria-busy") === "true") {
        button.disabled = true;
      }
    }, 0);
  });

  function requestButton(event) {
    var elt = event.detail.elt;
    if (elt && elt.type === "submit") {
      return elt;
    }
    var trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    return trigger && trigger.type === "submit" ? trigger.submitter : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = requestButton(event);
    if (button) {
      busy(button, button.form || event.detail.elt);
      button.disabled = true;
    }
  });
  ["htmx:afterRequest", "htmx:sendError", "htmx:timeout", "htmx:sendAbort"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var button = requestButton(event);
      if (button) {
        idle(button);
      }
    });
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("[aria-busy='true']").forEach(idle);
    }
  });
})();
