-- Owner: package bot. bot_updates is a queue: every update is inserted,
-- claimed and settled within milliseconds, and each change leaves a dead
-- row version behind. Left to the defaults, autovacuum waits for a fifth of
-- the table to be dead, and the claim (which walks the open updates) slows
-- down as dead index entries pile up. So:
--
--   * the partial indexes select open and handled rows by handled_at (the
--     same rows as status pending/running and done/failed, see
--     bot_updates_handled_when_final) instead of by status, so claiming
--     and retrying an update change no indexed column and can be HOT
--     updates, which add no index entries;
--   * fillfactor 70 leaves room on each page for those new row versions;
--   * autovacuum runs after a fixed number of dead rows, whatever the size
--     of the table (which holds days of handled updates), without pausing.
-- +goose Up
DROP INDEX bot_updates_open_idx;
CREATE INDEX bot_updates_open_idx ON bot_updates (chat_id, update_id) WHERE handled_at IS NULL;
DROP INDEX bot_updates_handled_idx;
CREATE INDEX bot_updates_handled_idx ON bot_updates (handled_at) WHERE handled_at IS NOT NULL;
-- The claim walks the open updates oldest first.
CREATE INDEX bot_updates_open_order_idx ON bot_updates (update_id) WHERE handled_at IS NULL;
ALTER TABLE bot_updates SET (
    fillfactor = 70,
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 2000,
    autovacuum_vacuum_cost_delay = 0,
    autovacuum_analyze_scale_factor = 0,
    autovacuum_analyze_threshold = 5000
);

-- +goose Down
DROP INDEX bot_updates_open_order_idx;
ALTER TABLE bot_updates RESET (fillfactor, autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold,
    autovacuum_vacuum_cost_delay, autovacuum_analyze_scale_factor, autovacuum_analyze_threshold);
DROP INDEX bot_updates_open_idx;
CREATE INDEX bot_updates_open_idx ON bot_updates (chat_id, update_id) WHERE status IN ('pending', 'running');
DROP INDEX bot_updates_handled_idx;
CREATE INDEX bot_updates_handled_idx ON bot_updates (handled_at) WHERE status IN ('done', 'failed');
