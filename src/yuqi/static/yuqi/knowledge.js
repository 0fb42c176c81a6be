// Knowledge suggestions: "Insert into note" puts an article's plain text into the page's note
// box, the <textarea data-knowledge-target> (the ticket's note form carries the attribute).
// The button stays hidden on pages without such a textarea. The htmx attributes on the same
// button log the use ("inserted"). No inline code: the CSP forbids it.
(function () {
  "use strict";
  function target() {
    return document.querySelector("textarea[data-knowledge-target]");
  }
  function reveal() {
    var box = target();
    document.querySelectorAll("[data-knowledge-insert]").forEach(function (button) {
      button.hidden = !box;
    });
  }
  function insert(button) {
    var box = target();
    var source = document.getElementById(button.getAttribute("data-knowledge-insert"));
    if (!box || !source) return;
    var text = source.content ? source.content.textContent : source.textContent;
    var start = box.selectionStart || box.value.length;
    var end = box.selectionEnd || box.value.length;
    var before = box.value.slice(0, start);
    var glue = before && !/\n$/.test(before) ? "\n" : "";
    box.value = before + glue + text.trim() + box.value.slice(end);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    box.focus();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-knowledge-insert]");
    if (button) insert(button);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reveal);
  } else {
    reveal();
  }
  document.addEventListener("htmx:afterSettle", reveal);
})();
