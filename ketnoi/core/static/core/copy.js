// A "copy" button: <button data-copy="text" data-copy-done="id-of-status" hidden>. Shown only
// where the browser offers the clipboard; the status element is revealed once the text is copied.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        var done = document.getElementById(button.dataset.copyDone);
        if (done) done.hidden = false;
      });
    });
  });
})();
