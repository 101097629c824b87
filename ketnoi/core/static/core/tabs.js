// A tab bar that scrolls sideways (.programme-nav on a phone): bring the current tab into view,
// so on a narrow screen the page opened is not hidden past the right edge of the bar.
(function () {
  document.querySelectorAll(".programme-nav ul").forEach(function (bar) {
    var current = bar.querySelector('[aria-current="page"]');
    if (!current || bar.scrollWidth <= bar.clientWidth) return;
    var item = current.closest("li") || current;
    var box = bar.getBoundingClientRect(), tab = item.getBoundingClientRect();
    bar.scrollLeft += tab.left - box.left - (box.width - tab.width) / 2;
  });
})();
