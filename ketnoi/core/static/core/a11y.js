// What every page needs for keyboard and screen-reader users, written once (loaded by base.html).
//
// 1. A table that scrolls sideways (`.table-wrap` narrower than its table, as on a phone) must be
//    reachable by the keyboard, or its hidden columns cannot be scrolled into view (WCAG 2.1.1):
//    it becomes a focusable, named region. Its name is the table's caption, else the heading
//    before it, else the script tag's data-table-label. A wrap that does not scroll stays out of
//    the tab order.
// 2. After a failed submit the error summary (`[data-error-summary]`, see core/_form.html) takes
//    the focus, so a screen reader reads the errors and a keyboard user starts from their links;
//    a link of the summary puts the focus in its field.
(function () {
  var script = document.currentScript;
  var fallbackLabel = (script && script.dataset.tableLabel) || "Table";
  var counter = 0;

  function headingBefore(element) {
    for (var node = element; node && node !== document.body; node = node.parentElement) {
      for (var sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) return sibling;
        var inner = sibling.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) return inner[inner.length - 1];
      }
    }
    return null;
  }

  function nameRegion(wrap) {
    if (wrap.hasAttribute("aria-label") || wrap.hasAttribute("aria-labelledby")) return;
    var table = wrap.querySelector("table");
    var caption = table && table.caption;
    var labelSource = caption || headingBefore(wrap);
    if (labelSource) {
      if (!labelSource.id) labelSource.id = "kn-table-label-" + ++counter;
      wrap.setAttribute("aria-labelledby", labelSource.id);
    } else if (table && table.getAttribute("aria-label")) {
      wrap.setAttribute("aria-label", table.getAttribute("aria-label"));
    } else {
      wrap.setAttribute("aria-label", fallbackLabel);
    }
  }

  function update(wrap) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      nameRegion(wrap);
    } else if (wrap.getAttribute("role") === "region") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
    }
  }

  function scan(root) {
    var wraps = root.querySelectorAll(".table-wrap");
    wraps.forEach(update);
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { update(entry.target); });
      });
      wraps.forEach(function (wrap) { observer.observe(wrap); });
    }
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    // Following a link of the summary puts the cursor in the field, not only scrolls to it.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.scrollIntoView({block: "center"});
      field.focus();
    });
  }

  function start() {
    scan(document);
    focusErrorSummary();
    // Parts of a page replaced by htmx bring their own tables.
    document.body.addEventListener("htmx:afterSettle", function (event) { scan(event.target); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
