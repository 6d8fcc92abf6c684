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
};
