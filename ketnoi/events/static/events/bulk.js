// The registrations list's bulk bar: "select all on this page" (the list comes a page at a time) and the running count
// ("Đã chọn 12"). Without this script the page still works: the boxes are sent as ticked, the
// bar's buttons lead to a confirmation page, and a link ticks every row.
(function () {
  "use strict";
  const bar = document.getElementById("bulk-bar");
  if (!bar) return;
  const all = document.getElementById("select-all");
  const count = document.getElementById("bulk-count");
  const template = bar.querySelector("[data-count-template]").dataset.countTemplate;
  const boxes = () => Array.from(document.querySelectorAll('input[type="checkbox"][name="registration"]'));
  // Rows ticked on another page of the list, carried as hidden fields: counted, never unticked here.
  const elsewhere = document.querySelectorAll('input[type="hidden"][name="registration"]').length;

  function update() {
    const list = boxes();
    const n = list.filter((box) => box.checked).length;
    count.textContent = template.replace("%(n)s", String(n + elsewhere));
    all.checked = n > 0 && n === list.length;
    all.indeterminate = n > 0 && n < list.length;
    bar.classList.toggle("has-selection", n + elsewhere > 0);
  }

  all.closest("label").hidden = false;
  all.addEventListener("change", () => {
    boxes().forEach((box) => {
      box.checked = all.checked;
    });
    update();
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches('input[type="checkbox"][name="registration"]')) update();
  });
  update();
})();
