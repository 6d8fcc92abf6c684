// Package web is qcode's browser workspace: a small HTTP server, on the
// loopback interface unless told otherwise, where a person reads a
// project's sources and codes them: select text and choose a code, change
// or remove a coding, reject the rules', make a code, write memos, search
// and code the hits, retrieve a code's passages, and compare two coders.
//
// A front end opens an app.Project, hands it to Listen with Options, shows
// the Server's URL (it carries a secret token, as Jupyter's does) and calls
// Serve until its context ends. Everything the pages do goes through the
// application layer (app), as the command line's commands do; the store
// and the index stay behind it. Pages are html/template, the CSS and the
// plain JavaScript are embedded, and there is no build step.
package web
