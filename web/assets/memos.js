// Memos: add one on a source, a code or the project from a page's memo
// panel, add or edit one on a coding from the source page's codings table,
// edit and delete them. Every change reloads the page, which shows the store.
"use strict";

(() => {
  const panel = document.querySelector("section.memos");
  if (!panel) return;
  const csrf = panel.dataset.csrf;
  // The source page says what happened in its message line, near the
  // codings; other pages in the panel's.
  const status = document.getElementById("message") || panel.querySelector(".memo-message");
  const ownCoder = panel.querySelector(".memo-coder");
  if (ownCoder) ownCoder.value = localStorage.getItem("qcode.coder") || "";

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  // coder is the name in the page's coder field (the source page's own, or
  // the panel's), else the one last used; "" after asking for one.
  function coder() {
    const field = ownCoder || document.getElementById("coder");
    let name = field ? field.value.trim() : "";
    if (!name) name = (localStorage.getItem("qcode.coder") || "").trim();
    if (!name) {
      say("Give your name as a coder first.", true);
      if (field) field.focus();
      return "";
    }
    if (field) field.value = name;
    localStorage.setItem("qcode.coder", name);
    return name;
  }

  async function post(path, body) {
    if (!body.coder) return null;
    return window.qcode.post(path, body, csrf, say);
  }

  // editor opens a form after el to write a memo's text, starting from
  // text; save is called with what was written.
  function editor(el, label, text, save) {
    const open = el.parentElement.querySelector(".memo-editor");
    if (open) open.remove();
    const form = window.qcode.textForm({
      className: "memo-editor", label, text, rows: 3, save: "Save memo",
      onSave: async (written) => { if (await save(written)) window.location.reload(); },
    });
    el.after(form);
    form.querySelector("textarea").focus();
  }

  const memoText = (button) => button.closest(".memo").querySelector(".memo-text").textContent;

  // The buttons are found by delegation: the source page swaps its
  // codings table's rows after every change to a coding.
  document.addEventListener("click", async (ev) => {
    const button = ev.target.closest && ev.target.closest("button.memo-edit, button.memo-remove, button.memo-coding");
    if (!button) return;
    const d = button.dataset;
    if (button.classList.contains("memo-edit")) {
      editor(button, "Edit memo " + d.id, memoText(button), (text) =>
        post("/api/memos/edit", { id: Number(d.id), coder: coder(), text }));
    } else if (button.classList.contains("memo-remove")) {
      if (await post("/api/memos/remove", { id: Number(d.id), coder: coder() })) window.location.reload();
    } else {
      editor(button, "Memo on " + d.code + " at " + d.segment + " by " + d.of, "", (text) =>
        post("/api/memos", { segment: d.segment, code: d.code, of: d.of, coder: coder(), text }));
    }
  });

  const form = panel.querySelector("form.memo-new");
  if (form) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const body = { coder: coder(), text: form.querySelector("textarea").value };
      if (panel.dataset.source) body.source = panel.dataset.source;
      else if (panel.dataset.code) body.code = panel.dataset.code;
      else if (panel.dataset.project) body.project = true;
      if (await post("/api/memos", body)) window.location.reload();
    });
  }
})();
