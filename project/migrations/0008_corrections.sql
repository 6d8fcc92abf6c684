-- A correction of a source's text (an edit, or a file imported again with
-- changes) moves the codings, memos and rejections on it through the edits.
-- The audit log records each: action 'move' (moved, its text the same) or
-- 'edit' (its text changed: kept, adjusted, to review), with the span it
-- had (old_start, old_end) beside the one it has; what 'rejection' names a
-- rejected rules coding; the source's own row (action 'edit', what
-- 'source') says how many of each. No text of the source is logged, so
-- that a pseudonymised source leaves no name behind in the log. The table
-- is rebuilt to widen its CHECKs, keeping its rows.
CREATE TABLE audit_new (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	coder     TEXT NOT NULL,
	command   TEXT NOT NULL,
	action    TEXT NOT NULL CHECK (action IN ('add', 'remove', 'reject', 'accept', 'edit', 'move')),
	what      TEXT NOT NULL CHECK (what IN ('coding', 'memo', 'source', 'rejection')),
	source    TEXT NOT NULL, -- '' for a memo on a code
	start     INTEGER,
	end       INTEGER,
	code      TEXT,
	origin    TEXT,
	text      TEXT NOT NULL DEFAULT '', -- the coding's memo, or the memo's text (an edit's new text)
	memo_id   INTEGER, -- memos: the memo's id
	old_text  TEXT, -- edits: the memo's text before
	old_start INTEGER, -- corrections: the span before, in characters
	old_end   INTEGER
);
INSERT INTO audit_new (id, at, coder, command, action, what, source, start, end, code, origin, text, memo_id, old_text)
	SELECT id, at, coder, command, action, what, source, start, end, code, origin, text, memo_id, old_text FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
