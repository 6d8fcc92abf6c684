// Package web is qcode's browser workspace: a small HTTP server, on the
// loopback interface only, that shows a project's sources with their
// codings and lets a person code a span by selecting it.
//
// A front end opens an app.Project, hands it to Listen with Options, shows
// the Server's URL (it carries a secret token, as Jupyter's does) and calls
// Serve until its context ends. Everything the pages do goes through the
// application layer (app); the store and the index stay behind it. Pages
// are html/template, the CSS and the plain JavaScript are embedded, and
// there is no build step.
package web
