-- The audit log records a source withdrawn from the project (action
-- 'remove', what 'source'): who removed it and when, never its text. The
-- table is rebuilt to widen its CHECK, keeping its rows.
CREATE TABLE audit_new (
	id       INTEGER PRIMARY KEY,
	at       TEXT NOT NULL,
	coder    TEXT NOT NULL,
	command  TEXT NOT NULL,
	action   TEXT NOT NULL CHECK (action IN ('add', 'remove', 'reject', 'accept', 'edit')),
	what     TEXT NOT NULL CHECK (what IN ('coding', 'memo', 'source')),
	source   TEXT NOT NULL, -- '' for a memo on a code
	start    INTEGER,
	end      INTEGER,
	code     TEXT,
	origin   TEXT,
	text     TEXT NOT NULL DEFAULT '', -- the coding's memo, or the memo's text (an edit's new text)
	memo_id  INTEGER, -- memos: the memo's id
	old_text TEXT -- edits: the memo's text before
);
INSERT INTO audit_new SELECT id, at, coder, command, action, what, source, start, end, code, origin, text, memo_id, old_text FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
