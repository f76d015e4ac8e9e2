-- Owner: package aspirations. How each area's aspirations are served over
-- the last 90 days (the peta KIM and a KIM's status), refreshed by one
-- replica every minute in one pass over the tickets in play, per
-- kelurahan, kecamatan, kabupaten/kota and province. A province's map
-- then reads its ~9,000 rows instead of sorting its tickets for medians
-- on every page view.
-- +goose Up
CREATE TABLE area_service (
    area         text PRIMARY KEY,
    open         integer NOT NULL,
    overdue      integer NOT NULL,
    received     integer NOT NULL,
    answered     integer NOT NULL,
    median_s     double precision NOT NULL,
    refreshed_at timestamptz NOT NULL
);
CREATE INDEX area_service_prefix_idx ON area_service (area text_pattern_ops);

-- +goose Down
DROP TABLE area_service;
