-- Owner: package region. Village search (region/search.go): exact and
-- prefix matches of the folded name come from this btree in well under a
-- millisecond; only queries with neither fall back to the trigram index.
-- (region.Import vacuums and analyses the table, so the planner knows to
-- use them and the trigram index has no pending list.)
-- +goose Up
CREATE INDEX regions_village_search_idx ON regions (search_name text_pattern_ops) WHERE level = 4;

-- +goose Down
DROP INDEX regions_village_search_idx;
