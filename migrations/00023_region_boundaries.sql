-- Owner: package region. Optional boundaries an office imports
-- (kimbot regions boundaries import): one GeoJSON MultiPolygon per region,
-- WGS84 longitude/latitude rounded to 5 decimals. Without rows here the
-- peta KIM shows tiles only.
-- +goose Up
CREATE TABLE region_boundaries (
    code     text PRIMARY KEY REFERENCES regions (code),
    geometry jsonb NOT NULL
);
CREATE INDEX region_boundaries_prefix_idx ON region_boundaries (code text_pattern_ops);

-- +goose Down
DROP TABLE region_boundaries;
