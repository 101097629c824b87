// Pickers of people and organisations (directory/picking.py, template directory/picker/widget.html).
// htmx asks for the matches as one types; this keeps a ticked match among the chosen (so the next
// search does not take it away), makes Enter in the search box search rather than save, and lets
// the down arrow reach the matches. Without it the "Tìm" button posts the form to search.
(function () {
  "use strict";

  function pickerOf(element) {
    return element && element.closest ? element.closest("[data-picker]") : null;
  }

  function search(box) {
    var input = box.querySelector("input[type=search]");
    if (input && window.htmx) window.htmx.trigger(input, "search");
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    var box = pickerOf(input);
    if (!box || !input.checked || !input.closest(".kn-picker-results")) return;
    var chosen = box.querySelector(".kn-picker-chosen");
    if (input.type === "radio") {
      chosen.querySelectorAll("li:not(.kn-picker-none)").forEach(function (item) {
        var other = item.querySelector("input");
        if (other && !other.checked) item.remove();
      });
    }
    chosen.appendChild(input.closest("li"));
    input.focus();
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" && event.key !== "ArrowDown") return;
    if (!target.matches || !target.matches("input")) return;
    var suggest = target.closest("[data-suggest]");
    if (suggest && target.type === "search") {
      var firstSuggestion = suggest.querySelector("[data-suggest-line]");
      if (event.key === "Enter") {
        event.preventDefault();
        if (window.htmx) window.htmx.trigger(target, "search");
      } else if (firstSuggestion) {
        event.preventDefault();
        firstSuggestion.focus();
      }
      return;
    }
    var box = pickerOf(target);
    var adding = target.closest("[data-picker-create]");
    if (adding) {
      if (event.key === "Enter") {
        event.preventDefault();
        adding.querySelector("button").click();
      }
      return;
    }
    if (box && target.type === "search") {
      if (event.key === "Enter") {
        event.preventDefault();
        search(box);
      } else {
        var first = box.querySelector(".kn-picker-results input");
        if (first) {
          event.preventDefault();
          first.focus();
        }
      }
      return;
    }
    // Enter in another field of a form with a picker saves it, as it would without the picker
    // (the form's first submit button may be a picker's "Tìm").
    if (event.key === "Enter" && !box && target.form && target.type !== "checkbox" && target.type !== "radio") {
      var save = target.form.querySelector("[type=submit]:not([name^='_pick_'])");
      if (save && target.form.querySelector("[data-picker]")) {
        event.preventDefault();
        target.form.requestSubmit(save);
      }
    }
  });

  // "Add a new person / organisation" works with htmx only: without it the link to the
  // directory's page stays.
  // Suggestions from the directory under a free-text field of names (NameSuggestionsTextarea):
  // shown with htmx only; a chosen one adds its name as a line of the textarea.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-suggest-line]") : null;
    if (!button) return;
    var suggest = button.closest("[data-suggest]");
    var area = document.getElementById(suggest.getAttribute("data-suggest"));
    if (!area) return;
    var line = button.getAttribute("data-suggest-line");
    var lines = area.value.split("\n").map(function (text) { return text.trim(); });
    if (lines.indexOf(line) === -1) {
      var text = area.value.replace(/\s+$/, "");
      area.value = text ? text + "\n" + line : line;
    }
    suggest.querySelector("[role=status]").textContent = suggest.getAttribute("data-added") + " " + line;
    suggest.querySelector("input[type=search]").focus();
  });

  function setUp(root) {
    root.querySelectorAll("[data-suggest]").forEach(function (suggest) {
      suggest.hidden = false;
    });
    root.querySelectorAll("[data-picker-create]").forEach(function (details) {
      details.hidden = false;
      var link = pickerOf(details).querySelector("[data-picker-nojs]");
      if (link) link.hidden = true;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) setUp(document);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var chosen = event.detail.target;
    if (!chosen.classList || !chosen.classList.contains("kn-picker-chosen")) return;
    var box = pickerOf(chosen);
    var added = chosen.lastElementChild && chosen.lastElementChild.querySelector("input");
    if (added && added.type === "radio") {
      chosen.querySelectorAll("li:not(.kn-picker-none)").forEach(function (item) {
        var other = item.querySelector("input");
        if (other && !other.checked) item.remove();
      });
    }
    var details = box.querySelector("[data-picker-create]");
    details.querySelectorAll("input").forEach(function (input) {
      input.value = "";
    });
    details.querySelector(".errorlist").textContent = "";
    details.open = false;
    if (added) added.focus();
  });

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.name || button.name.indexOf("_pick_") !== 0 || !window.htmx) return;
    event.preventDefault();
    search(pickerOf(button));
  });
})();
