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

// Wide tables become cards on a phone (site.css, "Tables as cards"): each data cell is labelled
// with its column's header, read from the table's <th>s, so a card says "Requested: NOK 200 000".
// A cell that has its own data-label keeps it (data-label="" for none); a cell spanning columns
// gets none. Without this script the table stays a table and scrolls in its region.
function labelCardTables(root) {
  root.querySelectorAll("table.sc-table--cards:not(.sc-table--labelled)").forEach(function (table) {
    var headers = [];
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (head) {
      Array.prototype.forEach.call(head.cells, function (cell) {
        var copy = cell.cloneNode(true);
        copy.querySelectorAll(".ds-sr-only").forEach(function (hidden) { hidden.remove(); });
        for (var i = 0; i < cell.colSpan; i++) { headers.push(copy.textContent.trim()); }
      });
    }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (cell.tagName === "TD" && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", headers[column] || "");
          }
          column += cell.colSpan;
        });
      });
    });
    table.classList.add("sc-table--labelled");
  });
}
document.addEventListener("DOMContentLoaded", function () { labelCardTables(document); });
document.addEventListener("htmx:afterSettle", function (event) { labelCardTables(event.target); });

// The header (base.html): the Menu button shows and hides the menu on narrow screens, and the
// menu's disclosures (<details>: the groups and the language switch) close one another, and
// close on Escape or a click elsewhere. Without script the menu is open and each <details>
// works on its own.
document.addEventListener("DOMContentLoaded", function () {
  var header = document.querySelector(".sc-header");
  if (!header) return;
  var button = header.querySelector(".sc-menu-button");
  var menu = header.querySelector(".sc-menu");
  var disclosures = header.querySelectorAll("details.sc-dropdown");

  function closeOthers(except) {
    disclosures.forEach(function (details) {
      if (details !== except) details.open = false;
    });
  }

  function setMenu(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      menu.setAttribute("data-open", "");
    } else {
      menu.removeAttribute("data-open");
      closeOthers(null);
    }
  }

  if (button && menu) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      setMenu(open);
      if (open) {
        // The group of the page shown opens with the menu.
        var current = header.querySelector("summary.sc-nav__top--current");
        if (current) current.parentElement.open = true;
      }
    });
  }

  disclosures.forEach(function (details) {
    details.addEventListener("toggle", function () {
      if (details.open) closeOthers(details);
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = header.querySelector("details.sc-dropdown[open]");
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    } else if (button && button.getAttribute("aria-expanded") === "true" && header.contains(document.activeElement)) {
      setMenu(false);
      button.focus();
    }
  });

  document.addEventListener("click", function (event) {
    if (!header.contains(event.target)) closeOthers(null);
  });
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

// A long select (every municipality of the registry) narrowed by typing: a search box above it
// keeps only the options whose text holds what was typed, ignoring case and accents (so "tromso"
// finds Tromsø and "goteborg" Göteborg), keeps the chosen option while it still matches, else
// chooses the first match, and says how many are shown. Without script the select is whole.
function foldForSearch(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/ø/g, "o").replace(/æ/g, "ae").replace(/ð/g, "d").replace(/þ/g, "th");
}
function searchableSelects(root) {
  root.querySelectorAll("select[data-search-label]:not([data-search-ready])").forEach(function (select) {
    select.setAttribute("data-search-ready", "");
    var language = document.documentElement.lang || undefined;
    var groups = [];
    var total = 0;
    Array.prototype.forEach.call(select.children, function (child) {
      var members = child.tagName === "OPTGROUP" ? Array.prototype.slice.call(child.children) : [child];
      var options = members.map(function (option) {
        if (option.value !== "") { total += 1; }
        return { node: option, key: foldForSearch(option.textContent), blank: option.value === "" };
      });
      groups.push({ group: child.tagName === "OPTGROUP" ? child : null, options: options });
    });
    var id = (select.id || select.name) + "-search";
    var box = document.createElement("div");
    box.className = "ds-field sc-search-select";
    var label = document.createElement("label");
    label.className = "ds-label";
    label.htmlFor = id;
    label.textContent = select.getAttribute("data-search-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "ds-input";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    var count = document.createElement("p");
    count.className = "ds-paragraph sc-meta";
    count.id = id + "-count";
    count.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", count.id);
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(count);
    var field = select.closest(".ds-field") || select;
    field.parentNode.insertBefore(box, field); // above the field: find, then see it chosen
    function narrow() {
      var wanted = foldForSearch(input.value.trim());
      var chosen = select.value;
      var shown = 0;
      var first = null;
      var keptChosen = false;
      select.textContent = "";
      groups.forEach(function (entry) {
        var parent = select;
        if (entry.group) {
          entry.group.textContent = "";
          parent = entry.group;
        }
        var any = false;
        entry.options.forEach(function (option) {
          if (option.blank || !wanted || option.key.indexOf(wanted) !== -1) {
            parent.appendChild(option.node);
            if (!option.blank) {
              any = true;
              shown += 1;
              first = first || option.node;
              keptChosen = keptChosen || option.node.value === chosen;
            }
          }
        });
        if (entry.group && any) { select.appendChild(entry.group); }
      });
      if (keptChosen) {
        select.value = chosen;
      } else if (wanted && first) {
        select.value = first.value;
      } else {
        select.value = "";
      }
      if (select.value !== chosen) {
        select.dispatchEvent(new Event("change", { bubbles: true }));
      }
      count.textContent = wanted ? select.getAttribute("data-search-count")
        .replace("{shown}", shown.toLocaleString(language))
        .replace("{total}", total.toLocaleString(language)) : "";
    }
    input.addEventListener("input", narrow);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); } // choose, do not send the form yet
    });
  });
}
document.addEventListener("DOMContentLoaded", function () { searchableSelects(document); });
document.addEventListener("htmx:afterSettle", function (event) { searchableSelects(event.target); });
