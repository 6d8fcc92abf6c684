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

  page.addEventListener("click", (ev) => {
    const button = ev.target.closest && ev.target.closest("button.summary-edit");
    if (!button) return;
    const cell = button.closest("td.cell");
    const open = cell.querySelector("form.summary-editor");
    if (open) { open.remove(); return; }
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "summary-clear";
    clear.textContent = "Clear";
    const form = window.qcode.textForm({
      className: "summary-editor",
      label: "Summary of " + cell.dataset.case + " on " + cell.dataset.theme,
      text: cell.querySelector(".summary").textContent,
      rows: 4, maxLength: 800, save: "Save summary", extra: [clear],
      onSave: async (written) => { if (await save(cell, written, false)) form.remove(); },
    });
    clear.addEventListener("click", async () => { if (await save(cell, "", true)) form.remove(); });
    button.after(form);
    form.querySelector("textarea").focus();
  });
})();
