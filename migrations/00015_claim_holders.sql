-- Owners: bot/internal/inbox, broadcast, aspirations (their queues), and
-- internal/holder (the numbers). A claim records the number of the
-- process holding it; while that process lives it holds the advisory lock
-- (1802071394, number), and once PostgreSQL ends its session any replica
-- takes the claim back at once instead of waiting for the lease to run
-- out. NULL: claimed before this migration, or not claimed; the lease
-- alone applies.
-- +goose Up
CREATE SEQUENCE claim_holder_seq;

ALTER TABLE bot_updates ADD COLUMN claimed_by bigint;
ALTER TABLE deliveries ADD COLUMN claimed_by bigint;
ALTER TABLE aspiration_outbox ADD COLUMN claimed_by bigint;

-- Shaped like the release of a dead holder's claims: only rows in flight.
CREATE INDEX bot_updates_claimed_idx ON bot_updates (claimed_by) WHERE status = 'running';
CREATE INDEX deliveries_claimed_idx ON deliveries (claimed_by) WHERE status = 'sending';
CREATE INDEX aspiration_outbox_claimed_idx ON aspiration_outbox (claimed_by) WHERE claimed_by IS NOT NULL;

-- +goose Down
DROP INDEX aspiration_outbox_claimed_idx;
DROP INDEX deliveries_claimed_idx;
DROP INDEX bot_updates_claimed_idx;
ALTER TABLE aspiration_outbox DROP COLUMN claimed_by;
ALTER TABLE deliveries DROP COLUMN claimed_by;
ALTER TABLE bot_updates DROP COLUMN claimed_by;
DROP SEQUENCE claim_holder_seq;
