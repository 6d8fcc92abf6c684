-- A Framework summary is the analyst's summary of one cell of the
-- Framework matrix: what a case says on a theme (Gale et al. 2013), one
-- per case and theme. It names the case by name and the theme by its
-- code's id, as memos name what they describe, so that importing a source
-- again or re-running the rules keeps it.
CREATE TABLE IF NOT EXISTS framework_summaries (
	id         INTEGER PRIMARY KEY,
	case_name  TEXT NOT NULL CHECK (case_name != ''),
	theme      TEXT NOT NULL CHECK (theme != ''), -- the theme's code id
	coder      TEXT NOT NULL, -- who wrote it first
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	text       TEXT NOT NULL,
	UNIQUE (case_name, theme)
);

-- The audit log records summaries written, rewritten and cleared (what
-- 'summary'), with the case (case_name), the theme (code), the text and
-- an edit's text before (old_text), so that nothing written is lost. The
-- table is rebuilt to widen its CHECK, keeping its rows.
CREATE TABLE audit_new (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	coder     TEXT NOT NULL,
	command   TEXT NOT NULL,
	action    TEXT NOT NULL CHECK (action IN ('add', 'remove', 'reject', 'accept', 'edit', 'move')),
	what      TEXT NOT NULL CHECK (what IN ('coding', 'memo', 'source', 'rejection', 'summary')),
	source    TEXT NOT NULL, -- '' for a memo on a code, or a summary
	start     INTEGER,
	end       INTEGER,
	code      TEXT,
	origin    TEXT,
	text      TEXT NOT NULL DEFAULT '', -- the coding's memo, the memo's or summary's text (an edit's new text)
	memo_id   INTEGER, -- memos: the memo's id
	old_text  TEXT, -- edits: the memo's or summary's text before
	old_start INTEGER, -- corrections: the span before, in characters
	old_end   INTEGER,
	case_name TEXT -- summaries: the case
);
INSERT INTO audit_new (id, at, coder, command, action, what, source, start, end, code, origin, text, memo_id, old_text, old_start, old_end)
	SELECT id, at, coder, command, action, what, source, start, end, code, origin, text, memo_id, old_text, old_start, old_end FROM audit;
DROP TABLE audit;
ALTER TABLE audit_new RENAME TO audit;
