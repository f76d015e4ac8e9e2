-- Owner: package aspirations. The peta KIM and a KIM's status read the
-- service of every kelurahan of a scope (a province: thousands) over the
-- last 90 days: tickets by village range, then by when they were filed,
-- with what the counts need carried in the index.
-- +goose Up
CREATE INDEX aspiration_tickets_village_idx ON aspiration_tickets (village_code text_pattern_ops, created_at)
    INCLUDE (status, first_response_at);

-- +goose Down
DROP INDEX aspiration_tickets_village_idx;
