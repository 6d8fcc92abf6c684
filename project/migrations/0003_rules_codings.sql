-- Rules codings move out of the codings table: one row per source holds all
-- of that source's codings by the rules, packed (see project/rulesblob.go).
-- A rules run replaces a source's rules codings whole, so they share the
-- run's unit and codebook hash. The codings table keeps people's codings
-- (origin manual, import or search); rows with origin 'rules' are moved
-- here by the Go step of this migration (migrateRulesCodings in rulesblob.go).
CREATE TABLE rules_codings (
	source_id     INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
	unit          TEXT NOT NULL CHECK (unit IN ('sentence', 'turn', 'paragraph', 'source')),
	codebook_hash TEXT NOT NULL,
	codings       INTEGER NOT NULL, -- how many the blob holds
	blob          BLOB NOT NULL
);
