-- Owner: package broadcast (delivery engine). One row per (run, chat): the
-- queue the engine claims from and the record the reports count. Kept
-- narrow on purpose: a province-wide run materialises a million rows.
--
-- run_id has no FOREIGN KEY: its per-row check was the largest single cost
-- of materialising a million rows (several seconds on the 2-core target).
-- Rows are only ever inserted by materializeDeliveries with the id of the
-- run created in the same transaction, and the trigger below gives the
-- ON DELETE CASCADE the contract asks for.
-- +goose Up
CREATE TABLE deliveries (
    run_id          bigint NOT NULL,
    chat_id         bigint NOT NULL,
    status          text NOT NULL DEFAULT 'pending',
    -- Sends tried (a 429 is not counted: it had no effect).
    attempts        smallint NOT NULL DEFAULT 0,
    -- pending: when it may be sent; sending: when its lease runs out (the
    -- same instant as lease_until, so one index serves both claims).
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    message_id      integer,
    last_error      text NOT NULL DEFAULT '',
    finalized_at    timestamptz,
    PRIMARY KEY (run_id, chat_id),
    CONSTRAINT deliveries_status_valid CHECK (status IN
        ('pending', 'sending', 'sent', 'failed', 'blocked', 'uncertain', 'cancelled'))
);

-- Shaped like the claim: due rows of one run, pending or with a lapsed lease.
CREATE INDEX deliveries_due_idx ON deliveries (run_id, next_attempt_at)
    WHERE status IN ('pending', 'sending');

-- +goose StatementBegin
CREATE FUNCTION deliveries_delete_with_run() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM deliveries WHERE run_id = OLD.id;
    RETURN OLD;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER runs_delete_deliveries AFTER DELETE ON runs
    FOR EACH ROW EXECUTE FUNCTION deliveries_delete_with_run();

-- +goose Down
DROP TRIGGER runs_delete_deliveries ON runs;
DROP FUNCTION deliveries_delete_with_run();
DROP TABLE deliveries;
