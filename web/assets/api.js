// What the workspace's scripts share: sending a change to the server.
"use strict";

window.qcode = {
  // post sends body as JSON to path with the page's CSRF token and
  // resolves with the server's reply, or, after saying its one-line error
  // with say, with null.
  async post(path, body, csrf, say) {
    let res;
    try {
      res = await fetch(path, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-Qcode-Csrf": csrf },
        body: JSON.stringify(body),
      });
    } catch (e) {
      say("The workspace does not answer: is qcode serve still running?", true);
      return null;
    }
    let reply = {};
    try { reply = await res.json(); } catch (e) { reply = { error: res.status + " " + res.statusText }; }
    if (!res.ok) {
      const stale = res.status === 409 ? " Reload the page (F5) to see the project as it is now." : "";
      say((reply.error || res.status + " " + res.statusText) + stale, true);
      return null;
    }
    return reply;
  },

  // textForm makes a form to write a text in: a labelled box starting
  // from text, a submit button named save, the buttons of extra, and
  // Cancel, which takes the form away. onSave is given what was written
  // when the form is submitted. The caller puts the form on the page.
  forms: 0,
  textForm({ className, label, text, rows, maxLength, save, extra = [], onSave }) {
    const form = document.createElement("form");
    form.className = className;
    const id = className + "-" + (++this.forms);
    const lab = document.createElement("label");
    lab.htmlFor = id;
    lab.textContent = label;
    const area = document.createElement("textarea");
    area.id = id;
    area.rows = rows;
    if (maxLength) area.maxLength = maxLength;
    area.value = text;
    const ok = document.createElement("button");
    ok.type = "submit";
    ok.textContent = save;
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", () => form.remove());
    form.append(lab, area, ok, ...extra, cancel);
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      onSave(area.value);
    });
    return form;
  },
};
