// Keep what is typed into a long form in this browser until the server has saved it.
//
// A form marked `data-keep-typed` keeps a copy of its fields in localStorage, under
// "safecities:typed:<user id>:<page path>", from the first keystroke on. The copy never leaves the
// browser. It is cleared when the server answers the form with a success (the next page shows a
// message marked `data-keep-typed-saved`), when the person discards it, when they log out (the
// form marked `data-keep-typed-logout`), when another person signs in on this browser, and after
// KEEP_DAYS. On loading a kept form whose copy differs from what the page shows, the page offers
// "Restore" or "Discard" in a status message. Files, passwords and hidden fields are never kept.
// Only signed-in pages keep anything: <body data-keep-typed-user> names the user, and the other
// `data-keep-typed-*` attributes of <body> carry the translated texts ("{when}" is replaced).
(function () {
  "use strict";

  var PREFIX = "safecities:typed:";
  var PENDING = "safecities:typed-sent";
  var KEEP_DAYS = 7;
  var SKIPPED = ["hidden", "file", "password", "submit", "button", "reset", "image"];
  var body = document.body;
  var user = body.getAttribute("data-keep-typed-user");
  var offering = new WeakSet();

  function storage(kind) {
    try {
      return window[kind];
    } catch (error) {
      return null; // storage switched off: nothing is kept, nothing breaks
    }
  }

  var local = storage("localStorage");
  var session = storage("sessionStorage");

  function keyOf(form) {
    return PREFIX + user + ":" + window.location.pathname + (form.id ? "#" + form.id : "");
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return (
        element.name &&
        !element.disabled &&
        !element.hasAttribute("data-keep-typed-skip") &&
        SKIPPED.indexOf(element.type) === -1 &&
        element.tagName !== "BUTTON" &&
        element.tagName !== "FIELDSET"
      );
    });
  }

  function valueOf(element) {
    if (element.type === "checkbox" || element.type === "radio") {
      return element.checked;
    }
    if (element.tagName === "SELECT") {
      return Array.prototype.filter
        .call(element.options, function (option) {
          return option.selected;
        })
        .map(function (option) {
          return option.value;
        });
    }
    return element.value;
  }

  function snapshot(form) {
    return keptFields(form).map(function (element) {
      return [element.name, valueOf(element)];
    });
  }

  function read(key) {
    try {
      var copy = JSON.parse(local.getItem(key));
      return copy && Array.isArray(copy.fields) && copy.at ? copy : null;
    } catch (error) {
      return null;
    }
  }

  function keep(form) {
    if (offering.has(form)) {
      return; // the older copy on offer is not overwritten before the person decides
    }
    try {
      local.setItem(keyOf(form), JSON.stringify({ at: Date.now(), fields: snapshot(form) }));
    } catch (error) {
      // storage full or refused: the form itself is untouched
    }
  }

  function restore(form, copy) {
    var seen = {};
    // Rows added to the form before (rows.js) are added again before their values return.
    form.dispatchEvent(
      new CustomEvent("keep-typed:restoring", {
        bubbles: true,
        detail: {
          names: copy.fields.map(function (entry) {
            return entry[0];
          }),
        },
      })
    );
    var fields = keptFields(form);
    copy.fields.forEach(function (entry) {
      var name = entry[0];
      var index = seen[name] || 0;
      seen[name] = index + 1;
      var matches = fields.filter(function (element) {
        return element.name === name;
      });
      var element = matches[index];
      if (!element || JSON.stringify(valueOf(element)) === JSON.stringify(entry[1])) {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = entry[1] === true;
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = entry[1].indexOf(option.value) !== -1;
        });
      } else {
        element.value = entry[1];
      }
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function text(name, when) {
    return (body.getAttribute("data-keep-typed-" + name) || "").replace("{when}", when);
  }

  function offer(form, copy) {
    var key = keyOf(form);
    var when = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    }).format(new Date(copy.at));
    var region = document.createElement("div");
    region.className = "ds-alert sc-kept";
    region.setAttribute("data-color", "info");
    region.setAttribute("role", "status");
    region.setAttribute("data-keep-typed-notice", "");
    form.parentNode.insertBefore(region, form);
    offering.add(form);

    var message = document.createElement("p");
    message.className = "ds-paragraph";
    message.tabIndex = -1;
    message.textContent = text("offer", when);
    var actions = document.createElement("div");
    actions.className = "sc-actions";
    var restoreButton = document.createElement("button");
    restoreButton.type = "button";
    restoreButton.className = "ds-button";
    restoreButton.setAttribute("data-variant", "primary");
    restoreButton.textContent = text("restore", when);
    var discardButton = document.createElement("button");
    discardButton.type = "button";
    discardButton.className = "ds-button";
    discardButton.setAttribute("data-variant", "secondary");
    discardButton.textContent = text("discard", when);
    actions.append(restoreButton, discardButton);

    function done(outcome) {
      offering.delete(form);
      message.textContent = text(outcome, when);
      actions.remove();
      message.focus();
    }

    restoreButton.addEventListener("click", function () {
      restore(form, copy);
      done("restored");
      keep(form);
    });
    discardButton.addEventListener("click", function () {
      local.removeItem(key);
      done("discarded");
    });
    // Filled after the region is in the page, so that screen readers announce it.
    window.setTimeout(function () {
      region.append(message, actions);
    }, 0);
  }

  function eachKey(callback) {
    for (var n = local.length - 1; n >= 0; n -= 1) {
      var key = local.key(n);
      if (key && key.indexOf(PREFIX) === 0) {
        callback(key);
      }
    }
  }

  function forget(predicate) {
    var doomed = [];
    eachKey(function (key) {
      if (predicate(key)) {
        doomed.push(key);
      }
    });
    doomed.forEach(function (key) {
      local.removeItem(key);
    });
  }

  function sent(form) {
    keep(form);
    offering.delete(form);
    session.setItem(PENDING, keyOf(form));
  }

  function start() {
    if (!local || !session) {
      return;
    }
    // The page after a successful save clears the copy of the form that was sent.
    var pending = session.getItem(PENDING);
    session.removeItem(PENDING);
    if (pending && document.querySelector("[data-keep-typed-saved]")) {
      local.removeItem(pending);
    }
    // Old copies go, and once someone is signed in, the copies of anyone else (a shared browser).
    // A page seen signed out (the login page after a session ended) keeps them.
    var oldest = Date.now() - KEEP_DAYS * 24 * 60 * 60 * 1000;
    var mine = PREFIX + user + ":";
    forget(function (key) {
      var copy = read(key);
      return !copy || copy.at < oldest || (user && key.indexOf(mine) !== 0);
    });
    if (!user) {
      return;
    }

    document.querySelectorAll("form[data-keep-typed]").forEach(function (form) {
      var copy = read(keyOf(form));
      if (copy && JSON.stringify(copy.fields) !== JSON.stringify(snapshot(form))) {
        offer(form, copy);
      }
    });

    function keptForm(target) {
      return target && target.closest ? target.closest("form[data-keep-typed]") : null;
    }
    ["input", "change"].forEach(function (name) {
      document.addEventListener(name, function (event) {
        var form = keptForm(event.target);
        if (form) {
          keep(form);
        }
      });
    });
    document.addEventListener(
      "submit",
      function (event) {
        var form = event.target;
        if (form.matches("form[data-keep-typed-logout]")) {
          forget(function (key) {
            return key.indexOf(mine) === 0;
          });
        } else if (form.matches("form[data-keep-typed]")) {
          sent(form);
        }
      },
      true
    );
    // A form sent through htmx by its submit button (not an autosave): the same as a submit,
    // and the page stays when that request fails, so nothing is pending any more.
    document.addEventListener("htmx:beforeRequest", function (event) {
      var elt = event.detail.elt;
      var form = keptForm(elt);
      if (form && elt.type === "submit") {
        sent(form);
      }
    });
    document.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail.xhr;
      if (keptForm(event.detail.elt) && !(xhr && xhr.getResponseHeader("HX-Redirect"))) {
        session.removeItem(PENDING);
      }
    });
  }

  start();
})();
