// Bulk actions (core/_bulk_bar.html): keeps "Đã chọn N" up to date and offers "select all" for
// every <form data-bulk>. The rows' tick boxes belong to the form by their `form` attribute (they
// sit in a table outside it) or by being inside it. Without this script the form still posts.
(function () {
  function setUp(form) {
    if (form.dataset.bulkReady) return;
    form.dataset.bulkReady = "1";
    var all = form.querySelector("[data-bulk-all]");
    var count = form.querySelector("[data-bulk-count]");
    function boxes() {
      var owned = document.querySelectorAll('input[type="checkbox"][form="' + form.id + '"]');
      var inside = form.querySelectorAll('input[type="checkbox"]:not([data-bulk-all])');
      return Array.prototype.slice.call(owned).concat(Array.prototype.slice.call(inside))
        .filter(function (box) { return !box.disabled; });
    }
    function update() {
      var list = boxes();
      var ticked = list.filter(function (box) { return box.checked; }).length;
      if (count) count.textContent = count.dataset.template.replace("%(n)s", String(ticked));
      if (all) {
        all.checked = list.length > 0 && ticked === list.length;
        all.indeterminate = ticked > 0 && ticked < list.length;
      }
    }
    if (all) {
      all.closest("label").hidden = boxes().length === 0;
      all.addEventListener("change", function () {
        boxes().forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    document.addEventListener("change", function (event) {
      var box = event.target;
      if (box === all || !box.matches || !box.matches('input[type="checkbox"]')) return;
      if (box.getAttribute("form") === form.id || form.contains(box)) update();
    });
    update();
  }
  function start() { document.querySelectorAll("form[data-bulk]").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
