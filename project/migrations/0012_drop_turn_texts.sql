-- Each turn's text now sits in the search index's sentence file, beside
-- the turn's span, where a search's hits take their context from, so the
-- copy migration 0009 kept in the store is read by nothing: an import
-- no longer writes every turn's text twice, and a pseudonymised or
-- withdrawn text leaves no copy behind in it.
DROP TABLE IF EXISTS turn_texts;
