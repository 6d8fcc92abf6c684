// Package project is the SQLite store of a qcode project: the single source
// of truth for sources, turns, segments, cases and attributes (and, as qcode
// grows, codes, codings and memos).
//
// A project is a folder holding .qcode/project.db, an embedded SQLite
// database (modernc.org/sqlite, pure Go) in WAL mode whose schema is brought
// up to date by embedded, numbered migrations. Find locates the project from
// a folder as git does; Open opens it for reading, or for writing while
// holding the project's write lock, so that a second writer gets a clear
// "busy" error instead of waiting or corrupting anything. Each file's import
// is one transaction: a failure or a kill leaves the project as it was.
//
// Data enters as corpus.Documents and leaves as the plain types of this
// package (SourceInfo, StoredSource); spans leave as character offsets.
package project
