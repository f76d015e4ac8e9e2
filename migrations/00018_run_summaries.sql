-- Owner: package broadcast. A finished run's report, counted once when
-- nothing of it is left in flight, so the run report of a million
-- deliveries reads a few hundred rows instead of counting a million
-- (issue 11: p99 under 100 ms). Runs in progress are still counted live.
-- A village is the subscriber's at the time of the summary; "" for a
-- resident who had erased their data by then.
-- +goose Up
ALTER TABLE runs
    ADD COLUMN summarized_at timestamptz,
    ADD COLUMN final_sent integer,
    ADD COLUMN final_failed integer,
    ADD COLUMN final_blocked integer,
    ADD COLUMN final_uncertain integer,
    ADD COLUMN final_cancelled integer;

-- Shaped like the summariser's search: finished runs not yet summarised.
CREATE INDEX runs_unsummarized_idx ON runs (id) WHERE summarized_at IS NULL AND status IN ('done', 'cancelled');

CREATE TABLE run_region_counts (
    run_id       bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    village_code text NOT NULL,
    sent         integer NOT NULL,
    failed       integer NOT NULL,
    blocked      integer NOT NULL,
    uncertain    integer NOT NULL,
    cancelled    integer NOT NULL,
    PRIMARY KEY (run_id, village_code)
);

CREATE TABLE run_failure_counts (
    run_id bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    reason text NOT NULL,
    n      integer NOT NULL,
    PRIMARY KEY (run_id, reason)
);

-- +goose Down
DROP TABLE run_failure_counts;
DROP TABLE run_region_counts;
DROP INDEX runs_unsummarized_idx;
ALTER TABLE runs DROP COLUMN summarized_at, DROP COLUMN final_sent, DROP COLUMN final_failed,
    DROP COLUMN final_blocked, DROP COLUMN final_uncertain, DROP COLUMN final_cancelled;
