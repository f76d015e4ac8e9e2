-- Owner: package region. The Kemendagri hierarchy (ODbL data, see region/data).
-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE regions (
    code        text PRIMARY KEY,
    parent_code text REFERENCES regions (code) DEFERRABLE INITIALLY DEFERRED,
    level       smallint NOT NULL,
    name        text NOT NULL,
    -- lower-case name without spaces or punctuation: "tlogo mas" and
    -- "Tlogomas" both become "tlogomas", which trigram search then matches.
    search_name text NOT NULL,
    CONSTRAINT regions_level_valid CHECK (level BETWEEN 1 AND 4)
);

CREATE INDEX regions_parent_idx ON regions (parent_code, name);
CREATE INDEX regions_code_prefix_idx ON regions (code text_pattern_ops);
CREATE INDEX regions_search_trgm_idx ON regions USING gin (search_name gin_trgm_ops);

-- +goose Down
DROP TABLE regions;
