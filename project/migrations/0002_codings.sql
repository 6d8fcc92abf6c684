-- Codings, memos, the audit log of what people added and removed, and the
-- record of every rules run. Spans are [start, end) in characters, with the
-- same span in bytes beside it, as in 0001.

-- A coding is a code applied to a span of a source by a coder: a person, or
-- the rules engine ('rules') with the hash of the codebook it ran.
CREATE TABLE codings (
	id            INTEGER PRIMARY KEY,
	source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	start         INTEGER NOT NULL,
	end           INTEGER NOT NULL,
	byte_start    INTEGER NOT NULL,
	byte_end      INTEGER NOT NULL,
	code          TEXT NOT NULL, -- the code's id in the codebook
	coder         TEXT NOT NULL,
	origin        TEXT NOT NULL CHECK (origin IN ('rules', 'manual', 'import', 'search')),
	unit          TEXT NOT NULL CHECK (unit IN ('sentence', 'turn', 'paragraph', 'source', 'span')),
	ord           INTEGER NOT NULL DEFAULT 0, -- the segment's ord for sentence, turn and paragraph (P03:s41)
	created_at    TEXT NOT NULL,
	memo          TEXT NOT NULL DEFAULT '',
	codebook_hash TEXT NOT NULL DEFAULT '', -- rules: sha256 of the codebook file, hex
	matched       TEXT, -- rules: JSON [{"tokens":[{"start":…,"end":…,"text":…}],"negated":…}]
	negated       INTEGER NOT NULL DEFAULT 0, -- rules: every match was negated
	UNIQUE (source_id, start, end, code, coder),
	CHECK (0 <= start AND start < end AND byte_start < byte_end)
);

-- A memo is a note on a source. It names its source rather than pointing at
-- its row, so that replacing the source's text keeps it.
CREATE TABLE memos (
	id         INTEGER PRIMARY KEY,
	source     TEXT NOT NULL,
	coder      TEXT NOT NULL,
	created_at TEXT NOT NULL,
	text       TEXT NOT NULL
);

-- The audit log: every coding and memo a person added or removed, by whom,
-- when and with which command. Rules runs are logged in rules_runs instead.
CREATE TABLE audit (
	id      INTEGER PRIMARY KEY,
	at      TEXT NOT NULL,
	coder   TEXT NOT NULL,
	command TEXT NOT NULL,
	action  TEXT NOT NULL CHECK (action IN ('add', 'remove')),
	what    TEXT NOT NULL CHECK (what IN ('coding', 'memo')),
	source  TEXT NOT NULL,
	start   INTEGER,
	end     INTEGER,
	code    TEXT,
	origin  TEXT,
	text    TEXT NOT NULL DEFAULT '' -- the coding's memo, or the memo's text
);

-- One row per `qcode code` run that wrote its codings.
CREATE TABLE rules_runs (
	id            INTEGER PRIMARY KEY,
	at            TEXT NOT NULL,
	codebook      TEXT NOT NULL, -- the codebook file as named
	codebook_hash TEXT NOT NULL,
	unit          TEXT NOT NULL,
	sources       TEXT NOT NULL, -- '' for every source, else names joined by ', '
	interviewer   INTEGER NOT NULL, -- 1 when interviewer turns were coded too
	segments      INTEGER NOT NULL, -- segments the rules ran over
	added         INTEGER NOT NULL,
	removed       INTEGER NOT NULL,
	total         INTEGER NOT NULL -- rules codings in the project after the run
);
