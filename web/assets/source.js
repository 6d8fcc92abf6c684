// The source page: code a selected span, remove a coding, reject one the
// rules made. Offsets are counted in code points, as qcode's store counts
// characters.
"use strict";

const csrf = document.querySelector('meta[name="csrf"]').content;
const source = document.getElementById("source").dataset.name;
const message = document.getElementById("message");
const coderInput = document.getElementById("coder");
let pending = null; // the last span selected in one turn: {start, end, text}

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

async function post(path, body) {
  const res = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-Qcode-Csrf": csrf },
    body: JSON.stringify(body),
  });
  let reply = {};
  try { reply = await res.json(); } catch (e) { reply = { error: res.status + " " + res.statusText }; }
  if (!res.ok) {
    say(reply.error || res.status + " " + res.statusText, true);
    return null;
  }
  return reply;
}

document.getElementById("picker").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (!pending) {
    say("Select some text in a turn first.", true);
    return;
  }
  const reply = await post("/api/codings", {
    source, start: pending.start, end: pending.end,
    code: document.getElementById("code").value.trim(),
    coder: coder(),
    exact: document.getElementById("exact").checked,
  });
  if (reply) {
    say((reply.changed ? "Coded " : "Already coded ") + reply.segment + " as " + reply.code + ".");
    window.location.reload();
  }
});

for (const button of document.querySelectorAll("button.remove")) {
  button.addEventListener("click", async () => {
    const d = button.dataset;
    const reply = await post("/api/codings/remove", { segment: d.segment, code: d.code, coder: d.coder });
    if (reply) window.location.reload();
  });
}

for (const button of document.querySelectorAll("button.reject")) {
  button.addEventListener("click", async () => {
    const d = button.dataset;
    const reply = await post("/api/codings/reject", { segment: d.segment, code: d.code, coder: coder() });
    if (reply) window.location.reload();
  });
}
