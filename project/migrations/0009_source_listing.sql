-- A source's row holds its whole text, in overflow pages that a read of
-- any column after it (chars, the counts, imported_at) walks. This index
-- holds every column but the text, so that what lists sources (qcode
-- sources, the workspace's list, the search's source stamps) reads it
-- alone (INDEXED BY source_listing) and never a page of a text. Tests that
-- wind a project's version back run this again: IF NOT EXISTS.
CREATE INDEX IF NOT EXISTS source_listing ON sources (name, case_id, format, path, hash, chars, header_start, header_end, turns, paragraphs, sentences, words, imported_at);
