-- A memo may describe the whole project (kind 'project': the study's
-- design, decisions the team took, what to do next), naming nothing else.
-- The table is rebuilt to widen its CHECK, keeping its rows and ids.
CREATE TABLE memos_new (
	id           INTEGER PRIMARY KEY,
	kind         TEXT NOT NULL CHECK (kind IN ('source', 'code', 'coding', 'project')),
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
		OR (kind = 'coding' AND source != '' AND code != '' AND 0 <= start AND start < end AND coding_coder != '')
		OR (kind = 'project' AND source = '' AND code = '' AND start IS NULL AND coding_coder IS NULL))
);
INSERT INTO memos_new (id, kind, source, code, start, end, coding_coder, coder, created_at, updated_at, text)
	SELECT id, kind, source, code, start, end, coding_coder, coder, created_at, updated_at, text FROM memos;
DROP TABLE memos;
ALTER TABLE memos_new RENAME TO memos;
CREATE INDEX memos_by_source ON memos (source, start);
CREATE INDEX memos_by_code ON memos (code);
