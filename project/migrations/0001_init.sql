-- Sources, their turns and segments, cases and attributes.
-- Spans users see (start, end) are character (code point) offsets into
-- sources.text; byte_start and byte_end are the same spans in bytes, kept so
-- slicing needs no scan.

CREATE TABLE cases (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

CREATE TABLE attributes (
	name TEXT PRIMARY KEY,
	type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date'))
);

CREATE TABLE case_attributes (
	case_id   INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
	attribute TEXT NOT NULL REFERENCES attributes (name),
	value     TEXT NOT NULL,
	PRIMARY KEY (case_id, attribute)
) WITHOUT ROWID;

CREATE TABLE speakers (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	role TEXT NOT NULL DEFAULT ''
);

CREATE TABLE sources (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE,
	format       TEXT NOT NULL,
	path         TEXT NOT NULL,
	hash         TEXT NOT NULL,
	case_id      INTEGER NOT NULL REFERENCES cases (id),
	text         TEXT NOT NULL,
	chars        INTEGER NOT NULL,
	header_start INTEGER NOT NULL,
	header_end   INTEGER NOT NULL,
	turns        INTEGER NOT NULL,
	paragraphs   INTEGER NOT NULL,
	sentences    INTEGER NOT NULL,
	words        INTEGER NOT NULL,
	imported_at  TEXT NOT NULL
);

CREATE TABLE turns (
	source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	ord        INTEGER NOT NULL, -- 1-based within the source: P03:t12
	speaker_id INTEGER NOT NULL REFERENCES speakers (id),
	start      INTEGER NOT NULL,
	end        INTEGER NOT NULL,
	byte_start INTEGER NOT NULL,
	byte_end   INTEGER NOT NULL,
	time_start INTEGER, -- milliseconds; NULL when unknown
	time_end   INTEGER,
	line       INTEGER NOT NULL,
	PRIMARY KEY (source_id, ord)
) WITHOUT ROWID;

-- Segments are the units that are coded: sentences (P03:s41) and paragraphs
-- (P03:p5); turns and whole sources are units too, from their own tables.
CREATE TABLE segments (
	source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL CHECK (kind IN ('sentence', 'paragraph')),
	ord        INTEGER NOT NULL, -- 1-based within the source and kind
	turn       INTEGER NOT NULL, -- the turn's ord
	start      INTEGER NOT NULL,
	end        INTEGER NOT NULL,
	byte_start INTEGER NOT NULL,
	byte_end   INTEGER NOT NULL,
	words      INTEGER NOT NULL,
	tokens     BLOB, -- sentences: token byte spans, see project/tokens.go
	PRIMARY KEY (source_id, kind, ord)
) WITHOUT ROWID;
