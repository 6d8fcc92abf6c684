// The Framework page: each cell's summary is written, rewritten or
// cleared in place, through POST /api/framework/summary; the cell shows
// what the store now holds.
"use strict";

(() => {
  const page = document.getElementById("framework");
  if (!page) return;
  const csrf = page.dataset.csrf;
  const status = document.getElementById("message");
  const coderField = document.getElementById("coder");
  coderField.value = localStorage.getItem("qcode.coder") || "";

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function coder() {
    const name = coderField.value.trim();
    if (!name) {
      say("Give your name as a coder first.", true);
      coderField.focus();
      return "";
    }
    localStorage.setItem("qcode.coder", name);
    return name;
  }

  // save sends the cell's new summary (or clears it) and shows the
  // result in the cell.
  async function save(cell, text, clear) {
    const name = coder();
    if (!name) return false;
    const body = { case: cell.dataset.case, theme: cell.dataset.theme, coder: name, text: clear ? "" : text, clear: !!clear };
    const reply = await window.qcode.post("/api/framework/summary", body, csrf, say);
    if (!reply) return false;
    cell.querySelector(".summary").textContent = reply.cleared ? "" : reply.summary.text;
    let by = cell.querySelector(".summary-by");
    if (reply.cleared) {
      if (by) by.remove();
    } else {
      if (!by) {
        by = document.createElement("div");
        by.className = "summary-by";
        cell.querySelector(".summary").after(by);
      }
      by.textContent = reply.summary.coder + " · " + new Date(reply.summary.updated_at).toLocaleString();
    }
    say(reply.message, false);
    return true;
  }

  let editors = 0;
  page.addEventListener("click", (ev) => {
    const button = ev.target.closest && ev.target.closest("button.summary-edit");
    if (!button) return;
    const cell = button.closest("td.cell");
    const open = cell.querySelector("form.summary-editor");
    if (open) { open.remove(); return; }
    const form = document.createElement("form");
    form.className = "summary-editor";
    const id = "summary-editor-" + (++editors);
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Summary of " + cell.dataset.case + " on " + cell.dataset.theme;
    const area = document.createElement("textarea");
    area.id = id;
    area.rows = 4;
    area.maxLength = 800;
    area.value = cell.querySelector(".summary").textContent;
    const ok = document.createElement("button");
    ok.type = "submit";
    ok.textContent = "Save summary";
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "summary-clear";
    clear.textContent = "Clear";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", () => form.remove());
    clear.addEventListener("click", async () => { if (await save(cell, "", true)) form.remove(); });
    form.append(label, area, ok, clear, cancel);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (await save(cell, area.value, false)) form.remove();
    });
    button.after(form);
    area.focus();
  });
})();
