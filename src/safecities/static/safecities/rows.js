// Add and remove the rows of a repeating set (a Django formset) without saving first.
//
// A set is an element `data-rows="<formset prefix>"` holding the formset's management form, its
// rows (`data-row`, each with a `data-row-remove` button and a `data-row-legend`), a <template
// data-rows-template> with the formset's empty form (`__prefix__`, and "{n}" for its number), a
// `data-rows-add` button and a status region `data-rows-status`. Its other attributes carry the
// translated texts, "{n}" replaced by the row's number: `data-rows-legend`, `data-rows-remove`,
// `data-rows-added`, `data-rows-removed`.
//
// "Add" clones the empty form and raises TOTAL_FORMS, up to MAX_NUM_FORMS. "Remove" takes a new
// row out of the page (the rows after it are renumbered, so the formset has no gap); a saved row
// of a formset with DELETE checkboxes is ticked for removal and hidden instead. Without this
// script the buttons stay hidden and the page's blank rows do the work.
//
// keep-typed.js cooperates: before it restores a kept copy it sends "keep-typed:restoring" with
// the field names of the copy, and the sets add the rows those names need.
(function () {
  "use strict";

  function field(set, name) {
    return set.querySelector("input[name='" + set.getAttribute("data-rows") + "-" + name + "']");
  }

  function number(set, name) {
    var input = field(set, name);
    return input ? parseInt(input.value, 10) || 0 : 0;
  }

  function rows(set) {
    return Array.prototype.filter.call(set.querySelectorAll("[data-row]"), function (row) {
      return row.closest("[data-rows]") === set;
    });
  }

  function shown(set) {
    return rows(set).filter(function (row) {
      return !row.hidden;
    });
  }

  function say(set, name, n) {
    return (set.getAttribute("data-rows-" + name) || "").replace("{n}", n);
  }

  function announce(set, text) {
    var status = set.querySelector("[data-rows-status]");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = text;
      }, 50);
    }
  }

  var NAMED = ["name", "id", "for", "aria-describedby", "aria-labelledby", "aria-controls"];

  // Rename a row's fields from index `from` to index `to`.
  function reindex(set, row, from, to) {
    var prefix = set.getAttribute("data-rows") + "-";
    var old = new RegExp(prefix + from + "-", "g");
    [row].concat(Array.prototype.slice.call(row.querySelectorAll("*"))).forEach(function (el) {
      NAMED.forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value && value.indexOf(prefix + from + "-") !== -1) {
          el.setAttribute(attr, value.replace(old, prefix + to + "-"));
        }
      });
    });
    row.setAttribute("data-row-index", to);
  }

  // Number the rows a person sees 1, 2, 3… in their legends and remove buttons.
  function renumber(set) {
    shown(set).forEach(function (row, n) {
      var legend = row.querySelector("[data-row-legend]");
      if (legend && set.hasAttribute("data-rows-legend")) {
        legend.textContent = say(set, "legend", n + 1);
      }
      var remove = row.querySelector("[data-row-remove]");
      if (remove) {
        remove.textContent = say(set, "remove", n + 1);
      }
    });
    var add = set.querySelector("[data-rows-add]");
    if (add) {
      add.disabled = number(set, "TOTAL_FORMS") >= (number(set, "MAX_NUM_FORMS") || 1000);
    }
  }

  function changed(set) {
    // The form's autosave and keep-typed copy follow the rows, as after a typed change.
    var form = set.closest("form");
    if (form) {
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function firstField(row) {
    return row.querySelector("input:not([type=hidden]), select, textarea");
  }

  function add(set) {
    var total = field(set, "TOTAL_FORMS");
    var index = number(set, "TOTAL_FORMS");
    if (index >= (number(set, "MAX_NUM_FORMS") || 1000)) {
      return null;
    }
    var template = set.querySelector("template[data-rows-template]");
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML
      .replace(/__prefix__/g, String(index))
      .replace(/\{n\}/g, String(shown(set).length + 1));
    var row = holder.querySelector("[data-row]");
    row.setAttribute("data-row-index", index);
    var last = rows(set).pop();
    if (last) {
      last.after(row);
    } else {
      template.before(row);
    }
    total.value = String(index + 1);
    start(row);
    renumber(set);
    return row;
  }

  function remove(set, row) {
    var deletion = row.querySelector("input[type=checkbox][name$='-DELETE']");
    var index = parseInt(row.getAttribute("data-row-index"), 10);
    var saved = index < number(set, "INITIAL_FORMS");
    var n = shown(set).indexOf(row) + 1;
    var after = shown(set)[n] || shown(set)[n - 2] || null;
    if (deletion && saved) {
      deletion.checked = true; // the server removes it on save
      row.hidden = true;
    } else {
      var total = number(set, "TOTAL_FORMS");
      row.remove();
      for (var i = index + 1; i < total; i += 1) {
        var next = set.querySelector("[data-row][data-row-index='" + i + "']");
        if (next) {
          reindex(set, next, i, i - 1);
        }
      }
      field(set, "TOTAL_FORMS").value = String(total - 1);
      if (saved) {
        field(set, "INITIAL_FORMS").value = String(number(set, "INITIAL_FORMS") - 1);
      }
    }
    renumber(set);
    announce(set, say(set, "removed", n));
    var focus = after ? firstField(after) : set.querySelector("[data-rows-add]");
    if (focus) {
      focus.focus();
    }
    changed(set);
  }

  // A row's remove button shows; with it, the DELETE checkbox hides (the button ticks it).
  function start(row) {
    var button = row.querySelector("[data-row-remove]");
    if (button) {
      button.hidden = false;
    }
    var deletion = row.querySelector("input[type=checkbox][name$='-DELETE']");
    if (deletion) {
      var group = deletion.closest(".ds-field") || deletion;
      group.hidden = true;
      if (deletion.checked) {
        row.hidden = true; // ticked before a refused save: it is still to be removed
      }
    }
  }

  function setUp(set) {
    if (set.hasAttribute("data-rows-ready")) {
      return;
    }
    set.setAttribute("data-rows-ready", "");
    rows(set).forEach(function (row, index) {
      row.setAttribute("data-row-index", index);
      start(row);
    });
    var addButton = set.querySelector("[data-rows-add]");
    if (addButton) {
      addButton.hidden = false;
    }
    renumber(set);
  }

  document.querySelectorAll("[data-rows]").forEach(setUp);
  // A part of the page htmx swapped in (the application after "Save draft") has its own sets.
  document.addEventListener("htmx:load", function (event) {
    var elt = event.detail.elt;
    if (elt.matches && elt.matches("[data-rows]")) {
      setUp(elt);
    }
    if (elt.querySelectorAll) {
      elt.querySelectorAll("[data-rows]").forEach(setUp);
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("button") : null;
    var set = target ? target.closest("[data-rows]") : null;
    if (!set) {
      return;
    }
    if (target.hasAttribute("data-rows-add")) {
      var row = add(set);
      if (row) {
        var focus = firstField(row);
        if (focus) {
          focus.focus();
        }
        announce(set, say(set, "added", shown(set).length));
      }
    } else if (target.hasAttribute("data-row-remove")) {
      remove(set, target.closest("[data-row]"));
    }
  });

  // A kept copy of the form names rows the page does not have yet: add them first.
  document.addEventListener("keep-typed:restoring", function (event) {
    var names = event.detail.names;
    event.target.querySelectorAll("[data-rows]").forEach(function (set) {
      var prefix = set.getAttribute("data-rows") + "-";
      var needed = 0;
      names.forEach(function (name) {
        if (name.indexOf(prefix) === 0) {
          var index = parseInt(name.slice(prefix.length), 10);
          if (!isNaN(index)) {
            needed = Math.max(needed, index + 1);
          }
        }
      });
      while (number(set, "TOTAL_FORMS") < needed && add(set)) {
        // one row more each time
      }
    });
  });
})();
