// Package project is the SQLite store of a qcode project: the single source
// of truth for sources, turns, segments, cases, attributes, speakers,
// codings, memos and the audit log.
//
// A project is a folder holding .qcode/project.db, an embedded SQLite
// database (modernc.org/sqlite, pure Go) in WAL mode whose schema is brought
// up to date by embedded, numbered migrations. Find locates the project from
// a folder as git does; Open opens it for reading or for writing, and any
// number of processes may hold it open at once (a long-running workspace
// and the command line): nothing is locked between calls. Each write is one
// short transaction that takes SQLite's write lock at its start and checks
// what it relies on inside it, so that no other writer can change that
// before it commits; a write that meets another waits for it up to
// BusyTimeout, then fails with a qcode.EBUSY error, writing nothing.
// Readers see the last commit and never wait. Each file's import is one
// transaction: a failure or a kill leaves the project as it was.
//
// Data enters as corpus.Sources and leaves as the plain types of this
// package (SourceInfo, Source, Turn, Sentence); spans leave as character
// offsets. The search engine reads the store through search.Store, which
// Project implements; this package imports no other adapter.
package project
