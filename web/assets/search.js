// The search page: code the hits a search found, those ticked or all of
// them. The server runs the search again from the page's address and
// refuses a ticked hit it no longer finds there.
"use strict";

const form = document.getElementById("code-hits");
if (form) {
  const csrf = document.querySelector('meta[name="csrf"]').content;
  const message = document.getElementById("message");
  const coderInput = document.getElementById("coder");
  const ticks = [...document.querySelectorAll("input.tick")];

  // The coder's name is the one the source page remembers.
  coderInput.value = localStorage.getItem("qcode.coder") || "";
  coderInput.addEventListener("change", () => localStorage.setItem("qcode.coder", coderInput.value.trim()));

  document.getElementById("tick-all").addEventListener("change", (ev) => {
    for (const t of ticks) t.checked = ev.target.checked;
  });

  const say = (text, isError) => {
    message.textContent = text;
    message.classList.toggle("error", !!isError);
  };

  const plural = (n, word) => n + " " + word + (n === 1 ? "" : "s");

  async function codeHits(all) {
    const hits = ticks.filter((t) => t.checked).map((t) => ({
      segment: t.dataset.segment, start: Number(t.dataset.start), end: Number(t.dataset.end),
    }));
    const reply = await window.qcode.post("/api/search/code", {
      search: form.dataset.search, code: document.getElementById("code").value.trim(),
      coder: coderInput.value.trim(), all, hits: all ? [] : hits,
    }, csrf, say);
    if (!reply) return;
    let text = "Coded " + plural(reply.added, reply.unit) + " as " + reply.code + " by " + reply.coder + ".";
    if (reply.existing) text += " " + reply.existing + " already had it.";
    say(text);
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    codeHits(false);
  });
  document.getElementById("code-all").addEventListener("click", () => {
    const total = document.getElementById("found").dataset.total;
    if (window.confirm("Code all " + total + " hits, shown or not?")) codeHits(true);
  });
}
