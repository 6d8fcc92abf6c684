-- Suggestions while coding (qcode code --suggest): codes a model trained
-- on people's codings ranks for sentences no person coded. They are kept
-- apart from codings, so that nothing suggested counts in a report, a
-- workbook, agreement or an export until a person accepts it. A run
-- replaces them all. score is the model's probability of the code among
-- the codes it suggests, rank its place (1 first) for its sentence, and
-- model_hash the sha256 of the training set (coding.TrainingHash).
CREATE TABLE IF NOT EXISTS suggestions (
	id         INTEGER PRIMARY KEY,
	source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	ord        INTEGER NOT NULL, -- the sentence's ord (P03:s41)
	start      INTEGER NOT NULL,
	end        INTEGER NOT NULL,
	byte_start INTEGER NOT NULL,
	byte_end   INTEGER NOT NULL,
	code       TEXT NOT NULL,
	score      REAL NOT NULL,
	rank       INTEGER NOT NULL,
	model_hash TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (source_id, start, end, code)
);

-- Suggestions people rejected: a run does not suggest them again. Like a
-- rules rejection it names the code and the span, and goes with the
-- source when its text is replaced.
CREATE TABLE IF NOT EXISTS suggestion_rejections (
	source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	code       TEXT NOT NULL,
	start      INTEGER NOT NULL,
	end        INTEGER NOT NULL,
	ord        INTEGER NOT NULL,
	model_hash TEXT NOT NULL,
	coder      TEXT NOT NULL, -- who rejected it
	created_at TEXT NOT NULL,
	PRIMARY KEY (source_id, code, start, end)
);

-- An accepted suggestion is a person's coding with origin 'suggested',
-- the model's hash in model_hash. SQLite cannot change a CHECK in place,
-- so the codings table is rebuilt, keeping its rows.
CREATE TABLE codings_new (
	id            INTEGER PRIMARY KEY,
	source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	start         INTEGER NOT NULL,
	end           INTEGER NOT NULL,
	byte_start    INTEGER NOT NULL,
	byte_end      INTEGER NOT NULL,
	code          TEXT NOT NULL, -- the code's id in the codebook
	coder         TEXT NOT NULL,
	origin        TEXT NOT NULL CHECK (origin IN ('rules', 'manual', 'import', 'search', 'suggested')),
	unit          TEXT NOT NULL CHECK (unit IN ('sentence', 'turn', 'paragraph', 'source', 'span')),
	ord           INTEGER NOT NULL DEFAULT 0, -- the segment's ord for sentence, turn and paragraph (P03:s41)
	created_at    TEXT NOT NULL,
	memo          TEXT NOT NULL DEFAULT '',
	codebook_hash TEXT NOT NULL DEFAULT '', -- rules: sha256 of the codebook file, hex
	matched       TEXT, -- rules: JSON [{"tokens":[{"start":…,"end":…,"text":…}],"negated":…}]
	negated       INTEGER NOT NULL DEFAULT 0, -- rules: every match was negated
	model_hash    TEXT NOT NULL DEFAULT '', -- suggested: the suggesting model's training-set hash
	UNIQUE (source_id, start, end, code, coder),
	CHECK (0 <= start AND start < end AND byte_start < byte_end)
);
INSERT INTO codings_new (id, source_id, start, end, byte_start, byte_end, code, coder, origin, unit, ord, created_at, memo, codebook_hash, matched, negated)
	SELECT id, source_id, start, end, byte_start, byte_end, code, coder, origin, unit, ord, created_at, memo, codebook_hash, matched, negated FROM codings;
DROP TABLE codings;
ALTER TABLE codings_new RENAME TO codings;
