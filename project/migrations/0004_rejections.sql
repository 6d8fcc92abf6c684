-- Rules codings people rejected as false positives. A rejection names the
-- code and the span (in characters), not the codebook: it holds across
-- codebook edits while the source's text is the same, and goes with the
-- source when its text is replaced. A rules run does not make a rejected
-- coding again; rejecting removes it from the source's rules codings.
CREATE TABLE rejections (
	source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	code       TEXT NOT NULL,
	start      INTEGER NOT NULL,
	end        INTEGER NOT NULL,
	byte_start INTEGER NOT NULL,
	byte_end   INTEGER NOT NULL,
	unit       TEXT NOT NULL, -- the rules coding's, to name its segment
	ord        INTEGER NOT NULL,
	coder      TEXT NOT NULL, -- who rejected it
	created_at TEXT NOT NULL,
	PRIMARY KEY (source_id, code, start, end)
);

-- The audit log records rejections and acceptances too: SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt.
CREATE TABLE audit_new (
	id      INTEGER PRIMARY KEY,
	at      TEXT NOT NULL,
	coder   TEXT NOT NULL,
	command TEXT NOT NULL,
	action  TEXT NOT NULL CHECK (action IN ('add', 'remove', 'reject', 'accept')),
	what    TEXT NOT NULL CHECK (what IN ('coding', 'memo')),
	source  TEXT NOT NULL,
	start   INTEGER,
	end     INTEGER,
	code    TEXT,
	origin  TEXT,
	text    TEXT NOT NULL DEFAULT '' -- the coding's memo, or the memo's text
);
INSERT INTO audit_new SELECT id, at, coder, command, action, what, source, start, end, code, origin, text FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
