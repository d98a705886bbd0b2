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
