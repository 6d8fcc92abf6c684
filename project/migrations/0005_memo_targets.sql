-- A memo describes a source, a code or a coding (kind). It names what it
-- describes rather than pointing at a row: a source by name, so that
-- replacing its text keeps it; a code by its id in the codebook; a coding
-- by its source, span in characters, code and coder, because the rules'
-- codings are no rows (they are packed, and rewritten by every run) and a
-- person's coding row goes when its text is imported again. Memos from
-- before are memos on sources.
CREATE TABLE memos_new (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('source', 'code', 'coding')),
	source       TEXT NOT NULL DEFAULT '', -- source and coding memos
	code         TEXT NOT NULL DEFAULT '', -- code and coding memos: the code's id
	start        INTEGER, -- coding memos: the coding's span in characters
	end          INTEGER,
	coding_coder TEXT, -- coding memos: the coding's coder ('rules' for the engine)
	coder        TEXT NOT NULL, -- who wrote the memo
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL,
	text         TEXT NOT NULL,
	CHECK ((kind = 'source' AND source != '' AND code = '' AND start IS NULL AND coding_coder IS NULL)
		OR (kind = 'code' AND source = '' AND code != '' AND start IS NULL AND coding_coder IS NULL)
		OR (kind = 'coding' AND source != '' AND code != '' AND 0 <= start AND start < end AND coding_coder != ''))
);
INSERT INTO memos_new (id, kind, source, coder, created_at, updated_at, text)
	SELECT id, 'source', source, coder, created_at, created_at, text FROM memos;
DROP TABLE memos;
ALTER TABLE memos_new RENAME TO memos;
CREATE INDEX memos_by_source ON memos (source, start);
CREATE INDEX memos_by_code ON memos (code);

-- The audit log records memos edited too, with the text they had
-- (old_text), so that nothing written by hand is lost; a memo's row in the
-- log names the memo (memo_id) and what it describes. The table is rebuilt
-- to widen its CHECK, keeping its rows.
CREATE TABLE audit_new (
	id       INTEGER PRIMARY KEY,
	at       TEXT NOT NULL,
	coder    TEXT NOT NULL,
	command  TEXT NOT NULL,
	action   TEXT NOT NULL CHECK (action IN ('add', 'remove', 'reject', 'accept', 'edit')),
	what     TEXT NOT NULL CHECK (what IN ('coding', 'memo')),
	source   TEXT NOT NULL, -- '' for a memo on a code
	start    INTEGER,
	end      INTEGER,
	code     TEXT,
	origin   TEXT,
	text     TEXT NOT NULL DEFAULT '', -- the coding's memo, or the memo's text (an edit's new text)
	memo_id  INTEGER, -- memos: the memo's id
	old_text TEXT -- edits: the memo's text before
);
INSERT INTO audit_new (id, at, coder, command, action, what, source, start, end, code, origin, text)
	SELECT id, at, coder, command, action, what, source, start, end, code, origin, text FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
