// The header search box (core/_header_search.html): an ARIA combobox over a listbox of results
// that htmx fills as one types (GET /search/?q= with HX-Request). This script only does what
// the pattern needs from the keyboard: ↓/↑ move through the options (across the kind groups),
// Enter opens the option shown as active, Escape closes the list. The options are plain links,
// so a click or a page without JavaScript works the same; Enter with no active option submits
// the form, which opens the full results page.
(function () {
  function setUp(input) {
    var form = input.form;
    var popup = form.querySelector(".header-search-popup");
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var active = -1;

    function options() {
      return Array.prototype.slice.call(listbox.querySelectorAll('[role="option"]'));
    }

    function hasContent() {
      return options().length > 0 || popup.querySelector('[role="status"]').textContent.trim() !== "";
    }

    function open(show) {
      popup.hidden = !show;
      input.setAttribute("aria-expanded", show && options().length > 0 ? "true" : "false");
      if (!show) select(-1);
    }

    function select(index) {
      var all = options();
      active = index;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // New results: nothing is active, and the list shows when it has something to say.
    listbox.addEventListener("htmx:afterSwap", function () {
      active = -1;
      open(input.value.trim() !== "" && hasContent());
    });
    // A box emptied again closes (htmx does not ask for an empty query's results).
    input.addEventListener("input", function () {
      if (input.value.trim() === "") open(false);
    });

    input.addEventListener("keydown", function (event) {
      var all = options();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!all.length) return;
        event.preventDefault();
        if (popup.hidden) open(true);
        var step = event.key === "ArrowDown" ? 1 : -1;
        // From nothing, ↓ goes to the first option and ↑ to the last; the ends wrap around.
        select(active < 0 ? (step > 0 ? 0 : all.length - 1) : (active + step + all.length) % all.length);
      } else if (event.key === "Enter" && !popup.hidden && active >= 0 && all[active]) {
        event.preventDefault();
        window.location.assign(all[active].href);
      } else if (event.key === "Escape" && !popup.hidden) {
        event.preventDefault();
        open(false);
      }
    });

    input.addEventListener("focus", function () {
      if (input.value.trim() !== "" && hasContent()) open(true);
    });
    // A click or a focus outside the box closes the list.
    document.addEventListener("click", function (event) {
      if (!form.contains(event.target)) open(false);
    });
    form.addEventListener("focusout", function (event) {
      if (event.relatedTarget && !form.contains(event.relatedTarget)) open(false);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("header-search-input");
    if (input) setUp(input);
  });
})();
