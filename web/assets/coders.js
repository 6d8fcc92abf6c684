// The source page's coders: unticking one hides the tints and stripes of
// their codings in the text, and their rows in the codings table, but not
// the text itself, which other coders' codings may nest in. The coders
// hidden are remembered per project; a coder not yet seen is shown.
"use strict";

(() => {
  const box = document.getElementById("coders");
  if (!box) return;
  const key = "qcode.hiddenCoders." + box.dataset.project;
  const boxes = [...box.querySelectorAll("input.coder")];

  function stored() {
    try {
      const v = JSON.parse(localStorage.getItem(key) || "[]");
      return Array.isArray(v) ? v : [];
    } catch (e) {
      return [];
    }
  }

  function apply() {
    const hidden = new Set(boxes.filter((b) => !b.checked).map((b) => b.value));
    for (const el of document.querySelectorAll(".text .coded[data-coder], .stripe[data-coder]")) {
      el.classList.toggle("off", hidden.has(el.dataset.coder));
    }
    for (const row of document.querySelectorAll("tr[data-coder]")) {
      row.hidden = hidden.has(row.dataset.coder);
    }
  }

  const hidden = new Set(stored());
  for (const b of boxes) {
    b.checked = !hidden.has(b.value);
    b.addEventListener("change", () => {
      // Coders of other sources keep their state: only this page's change.
      const now = new Set(stored());
      if (b.checked) now.delete(b.value);
      else now.add(b.value);
      localStorage.setItem(key, JSON.stringify([...now]));
      apply();
    });
  }
  apply();
  // The source page swaps turns and rows after a change to its codings.
  document.addEventListener("qcode:codings", apply);
})();
