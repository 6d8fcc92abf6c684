-- A source's row holds its whole text, in overflow pages that a read of
-- any column after it (chars, the counts, imported_at) walks. This index
-- holds every column but the text, so that what lists sources (qcode
-- sources, the workspace's list, the search's source stamps) reads it
-- alone (INDEXED BY source_listing) and never a page of a text.
--
-- Each turn's text (its span of the source's text) is kept apart too, so
-- that a search's hits take their context from their turns without
-- reading the whole of their sources. The rows go with their turns: a
-- source removed, imported again or corrected writes its turns anew.
--
-- Tests that wind a project's version back run this again: IF NOT EXISTS,
-- OR IGNORE.
CREATE INDEX IF NOT EXISTS source_listing ON sources (name, case_id, format, path, hash, chars, header_start, header_end, turns, paragraphs, sentences, words, imported_at);

CREATE TABLE IF NOT EXISTS turn_texts (
	source_id INTEGER NOT NULL,
	ord       INTEGER NOT NULL,
	text      TEXT NOT NULL,
	PRIMARY KEY (source_id, ord),
	FOREIGN KEY (source_id, ord) REFERENCES turns (source_id, ord) ON DELETE CASCADE
);
INSERT OR IGNORE INTO turn_texts (source_id, ord, text)
	SELECT t.source_id, t.ord, CAST(substr(CAST(s.text AS BLOB), t.byte_start + 1, t.byte_end - t.byte_start) AS TEXT)
	FROM turns t JOIN sources s ON s.id = t.source_id;
