// The source page: code a selected span, change or remove a coding, reject
// one the rules made, make a new code, all with the mouse or the keyboard.
// Offsets are counted in code points, as qcode's store counts characters.
"use strict";

const csrf = document.querySelector('meta[name="csrf"]').content;
const sourceEl = document.getElementById("source");
const source = sourceEl.dataset.name;
let hash = sourceEl.dataset.hash; // a correction of the text changes it
const message = document.getElementById("message");
const coderInput = document.getElementById("coder");
const codeInput = document.getElementById("code");
const exactBox = document.getElementById("exact");
const applyButton = document.getElementById("apply");
const dialog = document.getElementById("newcode");
let pending = null; // the last span selected in one turn: {start, end, text}
let editing = null; // the coding being changed: {segment, code, coder, row, pendingBefore}
let altApply = false; // Alt held when the apply button was pressed: keep the exact span

// codes maps each code id to its path and colour, from the picker's list.
const codes = new Map();
for (const o of document.querySelectorAll("#codes option[data-id]")) {
  codes.set(o.dataset.id, { path: o.label, color: o.dataset.color });
}
// known holds what the picker accepts, lower-cased: ids, names and paths.
const known = new Set([...document.querySelectorAll("#codes option")].map((o) => o.value.toLowerCase()));

coderInput.value = localStorage.getItem("qcode.coder") || "";
coderInput.addEventListener("change", () => localStorage.setItem("qcode.coder", coderInput.value.trim()));

function codePoints(s) {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function textOf(node) {
  const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return el && el.closest(".text");
}

// spanOf reads a selection range as characters of the source, or null when
// it is empty or leaves its turn.
function spanOf(range) {
  if (range.collapsed) return null;
  const text = textOf(range.startContainer);
  if (!text || text !== textOf(range.endContainer)) return null;
  const before = document.createRange();
  before.selectNodeContents(text);
  before.setEnd(range.startContainer, range.startOffset);
  const base = Number(text.dataset.start);
  const start = base + codePoints(before.toString());
  const selected = range.toString();
  return { start, end: start + codePoints(selected), text: selected };
}

document.addEventListener("selectionchange", () => {
  const sel = window.getSelection();
  if (!sel.rangeCount) return;
  const span = spanOf(sel.getRangeAt(0));
  if (!span) return;
  pending = span;
  document.getElementById("selection").textContent =
    "selected " + span.start + "–" + span.end + ": “" + span.text.slice(0, 60) + (span.text.length > 60 ? "…" : "") + "”";
});

function say(text, isError) {
  message.textContent = text;
  message.classList.toggle("error", !!isError);
}

function coder() {
  let name = coderInput.value.trim();
  if (!name) {
    name = (window.prompt("Your name as a coder?") || "").trim();
    coderInput.value = name;
    if (name) localStorage.setItem("qcode.coder", name);
  }
  return name;
}

function post(path, body) {
  return window.qcode.post(path, body, csrf, say);
}

// refresh swaps in the parts of the page a change to the codings of
// [start, end) touched: its turns, its rows of the codings table and the
// codebook's counts. A long transcript takes a second or more to lay out
// again, so the page is not loaded again; when the parts cannot be had, it
// is.
async function refresh(start, end) {
  let parts = null;
  try {
    const res = await fetch("/api/sources/" + encodeURIComponent(source) + "/parts?start=" + start + "&end=" + end, { credentials: "same-origin" });
    if (res.ok) parts = await res.json();
  } catch (e) {
    parts = null;
  }
  if (!parts || parts.hash !== hash) {
    window.location.reload();
    return;
  }
  const fragment = (html) => {
    const t = document.createElement("template");
    t.innerHTML = html;
    return t.content.firstElementChild;
  };
  for (const t of parts.turns) {
    const text = document.querySelector('.text[data-start="' + t.start + '"]');
    if (!text) return window.location.reload();
    const turn = text.closest(".turn");
    const fresh = fragment(t.html);
    if (turn.id) fresh.id = turn.id;
    const focused = document.activeElement === text;
    turn.replaceWith(fresh);
    if (focused) fresh.querySelector(".text").focus();
  }
  const table = document.getElementById("codings");
  const body = table.tBodies[0];
  for (const row of [...body.rows]) {
    const a = Number(row.dataset.start), b = Number(row.dataset.end);
    if ((a < end && b > start) || (a === b && a === start)) row.remove();
  }
  for (const r of parts.rows) {
    const row = fragment("<table><tbody>" + r.html + "</tbody></table>").tBodies[0].rows[0];
    // Rows come by start, the longer first, as the server lists them.
    const after = [...body.rows].find((x) => Number(x.dataset.start) > r.start ||
      (Number(x.dataset.start) === r.start && Number(x.dataset.end) < r.end));
    body.insertBefore(row, after || null);
  }
  table.hidden = body.rows.length === 0;
  const none = document.getElementById("no-codings");
  if (none) none.hidden = body.rows.length > 0;
  document.getElementById("tree").innerHTML = parts.tree;
  document.getElementById("rejected").innerHTML = parts.rejected;
  pending = null;
  document.getElementById("selection").textContent = "";
  document.dispatchEvent(new CustomEvent("qcode:codings"));
}

// Recent codes, most recent first, kept per browser; keys 1–9 apply them.
const recentKey = "qcode.recent";

function recentCodes() {
  try {
    return (JSON.parse(localStorage.getItem(recentKey)) || []).filter((id) => codes.has(id)).slice(0, 9);
  } catch (e) {
    return [];
  }
}

function remember(id) {
  const list = [id, ...recentCodes().filter((x) => x !== id)].slice(0, 9);
  localStorage.setItem(recentKey, JSON.stringify(list));
}

function showRecent() {
  const box = document.getElementById("recent");
  box.replaceChildren();
  recentCodes().forEach((id, i) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "recent-code";
    b.dataset.code = id;
    const key = document.createElement("kbd");
    key.textContent = String(i + 1);
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.setProperty("--c", codes.get(id).color);
    b.append(key, swatch, id);
    b.title = codes.get(id).path;
    b.setAttribute("aria-label", "code the selection as " + codes.get(id).path + " (key " + (i + 1) + ")");
    b.addEventListener("click", (ev) => codeSelection(id, ev.altKey || exactBox.checked));
    box.append(b);
  });
}

// codeSelection codes the pending span with code, or, while a coding is
// being changed, changes it.
async function codeSelection(code, exact) {
  if (editing) return applyChange(code, exact);
  if (!pending) {
    say("Select some text in a turn first (with the mouse, or Tab to a turn and Shift+arrows).", true);
    return;
  }
  if (!code) {
    say("Choose a code first.", true);
    codeInput.focus();
    return;
  }
  if (!known.has(code.toLowerCase())) {
    openNewCode(code);
    return;
  }
  const name = coder();
  if (!name) return;
  const reply = await post("/api/codings", { source, start: pending.start, end: pending.end, code, coder: name, exact, hash });
  if (reply) {
    remember(reply.code);
    showRecent();
    say((reply.changed ? "Coded " : "Already coded ") + reply.segment + " as " + reply.code + ".");
    await refresh(reply.start, reply.end);
  }
}

async function applyChange(code, exact) {
  const body = { segment: editing.segment, code: editing.code, coder: editing.coder, hash, exact };
  if (code && code !== editing.code) {
    if (!known.has(code.toLowerCase())) {
      say("No code “" + code + "”: choose one from the list, or make it with New code… first.", true);
      return;
    }
    body.new_code = code;
  }
  if (pending && pending !== editing.pendingBefore) {
    body.start = pending.start;
    body.end = pending.end;
  }
  if (!body.new_code && body.start === undefined) {
    say("Select the coding's new extent, or choose another code, before applying the change.", true);
    return;
  }
  const reply = await post("/api/codings/change", body);
  if (reply) {
    remember(reply.code);
    showRecent();
    const was = editing;
    cancelEdit();
    say("Changed " + was.segment + " " + was.code + " to " + reply.segment + " " + reply.code + ".");
    await refresh(Math.min(was.start, reply.start), Math.max(was.end, reply.end));
  }
}

function startEdit(button) {
  cancelEdit();
  const d = button.dataset;
  editing = { segment: d.segment, code: d.code, coder: d.coder, start: Number(d.start), end: Number(d.end), row: button.closest("tr"), pendingBefore: pending };
  editing.row.classList.add("editing-row");
  document.getElementById("editing-what").textContent = d.path + " on " + d.segment + " (by " + d.coder + ")";
  document.getElementById("editing").hidden = false;
  applyButton.textContent = "Apply the change";
  codeInput.value = "";
  codeInput.placeholder = "keep " + d.code;
  codeInput.focus();
}

function cancelEdit() {
  if (!editing) return;
  editing.row.classList.remove("editing-row");
  editing = null;
  document.getElementById("editing").hidden = true;
  applyButton.textContent = "Code the selection";
  codeInput.placeholder = "code id, name or path";
}

document.getElementById("cancel-edit").addEventListener("click", cancelEdit);

applyButton.addEventListener("click", (ev) => { altApply = ev.altKey; });
document.getElementById("picker").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const exact = exactBox.checked || altApply;
  altApply = false;
  codeSelection(codeInput.value.trim(), exact);
});

// The new code dialog: the code goes into codebook.yaml, then codes the
// selection when there is one.
function openNewCode(name) {
  document.getElementById("nc-name").value = name || "";
  dialog.showModal();
  document.getElementById("nc-name").focus();
}

document.getElementById("newcode-open").addEventListener("click", () => openNewCode(codeInput.value.trim()));
document.getElementById("nc-cancel").addEventListener("click", () => dialog.close());
document.getElementById("newcode-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const name = coder();
  if (!name) return;
  const reply = await post("/api/codes", {
    name: document.getElementById("nc-name").value.trim(),
    parent: document.getElementById("nc-parent").value,
    color: document.getElementById("nc-color").value.toUpperCase(),
    description: document.getElementById("nc-desc").value.trim(),
    coder: name,
  });
  if (!reply) {
    dialog.close();
    return;
  }
  dialog.close();
  remember(reply.id);
  if (pending && !editing) {
    const coded = await post("/api/codings", { source, start: pending.start, end: pending.end, code: reply.id, coder: name, exact: exactBox.checked, hash });
    if (!coded) return;
  }
  window.location.reload();
});

// The codings table's buttons, found by delegation, since its rows are
// swapped after every change.
document.addEventListener("click", async (ev) => {
  const button = ev.target.closest && ev.target.closest("button.change, button.remove, button.reject, button.accept");
  if (!button) return;
  const d = button.dataset;
  if (button.classList.contains("change")) {
    startEdit(button);
    return;
  }
  if (button.classList.contains("accept")) {
    const name = coder();
    if (!name) return;
    if (await post("/api/codings/accept", { segment: d.segment, code: d.code, coder: name })) {
      say("Accepted " + d.code + " on " + d.segment + " again: the next rules run (qcode code) codes it.");
      await refresh(Number(d.start), Number(d.end));
    }
    return;
  }
  const name = button.classList.contains("remove") ? d.coder : coder();
  if (!name) return;
  const path = button.classList.contains("remove") ? "/api/codings/remove" : "/api/codings/reject";
  const reply = await post(path, { segment: d.segment, code: d.code, coder: name });
  if (reply) {
    say((path.endsWith("remove") ? "Removed " : "Rejected ") + d.code + " on " + d.segment + ".");
    await refresh(Number(d.start), Number(d.end));
  }
});

// The suggested codes' buttons: accepting makes the code the person's
// coding of the sentence, rejecting drops it; either way the page is
// loaded again, as the suggestions and codings both change.
document.addEventListener("click", async (ev) => {
  const button = ev.target.closest && ev.target.closest("button.accept-suggestion, button.reject-suggestion");
  if (!button) return;
  const name = coder();
  if (!name) return;
  const d = button.dataset;
  const accept = button.classList.contains("accept-suggestion");
  const reply = await post(accept ? "/api/suggestions/accept" : "/api/suggestions/reject", { id: Number(d.id), coder: name });
  if (reply) {
    say((accept ? "Accepted " : "Rejected ") + d.code + " on " + d.segment + ".");
    window.location.reload();
  }
});

// The keyboard: a focused turn takes a caret at its start; arrows move it
// by word, Shift+arrows select by word, Shift+Up/Down by sentence. Turns
// are found by delegation, since they are swapped after every change.
document.addEventListener("focusin", (ev) => {
  const text = ev.target.classList && ev.target.classList.contains("text") ? ev.target : null;
  if (!text) return;
  const sel = window.getSelection();
  if (sel.rangeCount && textOf(sel.getRangeAt(0).startContainer) === text) return;
  const first = document.createTreeWalker(text, NodeFilter.SHOW_TEXT).nextNode();
  if (first) sel.collapse(first, 0);
});

document.addEventListener("keydown", (ev) => {
  if (!ev.target.classList || !ev.target.classList.contains("text")) return;
  const sel = window.getSelection();
  const moves = { ArrowRight: ["forward", "word"], ArrowLeft: ["backward", "word"], ArrowDown: ["forward", "sentence"], ArrowUp: ["backward", "sentence"] };
  const move = moves[ev.key];
  if (move && !ev.ctrlKey && !ev.metaKey && !ev.altKey && (ev.shiftKey || move[1] === "word")) {
    ev.preventDefault();
    sel.modify(ev.shiftKey ? "extend" : "move", move[0], move[1]);
  } else if (ev.key === "Enter") {
    ev.preventDefault();
    codeInput.focus();
  }
});

document.addEventListener("keydown", (ev) => {
  const typing = ev.target.closest && ev.target.closest("input, textarea, select, dialog");
  if (ev.key === "Escape" && !dialog.open) {
    cancelEdit();
    return;
  }
  if (typing || ev.ctrlKey || ev.metaKey) return;
  if (/^[1-9]$/.test(ev.key) || /^Digit[1-9]$/.test(ev.code)) {
    const n = Number(ev.code.startsWith("Digit") ? ev.code.slice(5) : ev.key);
    const id = recentCodes()[n - 1];
    if (id) {
      ev.preventDefault();
      codeSelection(id, ev.altKey || exactBox.checked);
    }
  }
});

showRecent();

// Correcting a turn's text: its "Edit text" button opens a box with the
// text; saving corrects the source (every coding moves with its words),
// lists the codings whose words changed for review, with links to them,
// and swaps in the turn and the turns and codings after it, whose
// offsets moved.
const reviewKey = "qcode.review." + source;

function showReview(r) {
  const list = document.getElementById("review-list");
  list.textContent = "";
  let summary = "Turn " + r.turn + " corrected: " + r.moved + " coding" + (r.moved === 1 ? "" : "s") + " moved with their words, " +
    r.changed.length + " changed" + (r.removed.length ? ", " + r.removed.length + " removed" : "");
  if (r.rules_remade) summary += "; the rules coded the source again";
  else if (r.rules_codings) summary += "; the rules' codings were dropped: run qcode code again";
  document.getElementById("review-summary").textContent = summary + ".";
  const item = (c, removed) => {
    const li = document.createElement("li");
    const what = c.ref + " " + c.code + " by " + c.coder;
    if (removed) {
      li.textContent = "removed: " + what + ": “" + c.old_text + "”";
    } else {
      const a = document.createElement("a");
      a.href = "#c-" + c.start;
      a.textContent = what;
      li.append(a, ": “" + c.text + "” (was “" + c.old_text + "”)");
    }
    list.append(li);
  };
  for (const c of r.changed) item(c, false);
  for (const c of r.removed) item(c, true);
  const box = document.getElementById("review");
  box.hidden = false;
}

document.getElementById("review-close").addEventListener("click", () => {
  document.getElementById("review").hidden = true;
});

const saved = sessionStorage.getItem(reviewKey);
if (saved) {
  sessionStorage.removeItem(reviewKey);
  showReview(JSON.parse(saved));
}

function openTextEdit(turn) {
  if (turn.querySelector("form.turn-edit")) return;
  const text = turn.querySelector(".text");
  const n = Number(turn.querySelector("button.edit-text").dataset.turn);
  const form = document.createElement("form");
  form.className = "turn-edit";
  form.setAttribute("aria-label", "the text of turn " + n);
  form.innerHTML = '<textarea rows="6" cols="70"></textarea>' +
    '<p><label><input type="checkbox" class="drop-lost"> remove codings whose words I delete</label> ' +
    '<button type="submit" class="save-text">Save the text</button> <button type="button" class="cancel-text">Cancel</button></p>';
  const area = form.querySelector("textarea");
  area.setAttribute("aria-label", "the text of turn " + n);
  area.value = text.textContent;
  text.hidden = true;
  text.after(form);
  area.focus();
  const close = () => {
    form.remove();
    text.hidden = false;
    text.focus();
  };
  form.querySelector(".cancel-text").addEventListener("click", close);
  form.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.stopPropagation();
      close();
    }
  });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = coder();
    if (!name) return;
    const reply = await post("/api/sources/" + encodeURIComponent(source) + "/edit",
      { turn: n, text: area.value, hash, coder: name, drop_lost: form.querySelector(".drop-lost").checked });
    if (!reply) return;
    say("Saved the text of turn " + n + ".");
    if (reply.turns !== reply.old_turns) {
      sessionStorage.setItem(reviewKey, JSON.stringify(reply));
      window.location.reload();
      return;
    }
    showReview(reply);
    // The turns after it moved by what the turn grew or shrank.
    const delta = reply.end - reply.old_end;
    for (const t of document.querySelectorAll(".text[data-start]")) {
      const s = Number(t.dataset.start);
      if (s > reply.start) t.dataset.start = s + delta;
    }
    hash = reply.hash;
    sourceEl.dataset.hash = hash;
    await refresh(reply.start, Number.MAX_SAFE_INTEGER);
    const fresh = document.querySelector('.text[data-start="' + reply.start + '"]');
    if (fresh) fresh.focus();
  });
}

document.addEventListener("click", (ev) => {
  const button = ev.target.closest && ev.target.closest("button.edit-text");
  if (button) openTextEdit(button.closest(".turn"));
});
