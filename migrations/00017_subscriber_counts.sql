-- Owner: package broadcast. Subscriber counts kept up to date by triggers,
-- so the console's home page reads a scope's counts and their growth
-- without counting a million subscribers per request (issue 11).
--
-- subscriber_counts: subscribers per village and status, now.
-- subscriber_daily: the net change of active subscribers per village and
-- day (the server's current_date), from which the last 30 days are drawn
-- backwards from today's count.
--
-- Statement-level triggers with transition tables: a batch (the delivery
-- engine marking 200 chats blocked) costs one upsert per village touched,
-- not one per row; villages are locked in code order, so two batches
-- never deadlock on their counters.
-- +goose Up
CREATE TABLE subscriber_counts (
    village_code text NOT NULL,
    status       text NOT NULL,
    n            bigint NOT NULL,
    PRIMARY KEY (village_code, status)
);
CREATE INDEX subscriber_counts_scope_idx ON subscriber_counts (village_code text_pattern_ops);

CREATE TABLE subscriber_daily (
    day          date NOT NULL,
    village_code text NOT NULL,
    active_delta bigint NOT NULL,
    PRIMARY KEY (day, village_code)
);

INSERT INTO subscriber_counts (village_code, status, n)
SELECT village_code, status, count(*) FROM subscribers GROUP BY village_code, status;

-- +goose StatementBegin
CREATE FUNCTION subscriber_counts_add(codes text[], statuses text[], deltas int[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO subscriber_counts AS c (village_code, status, n)
    SELECT code, st, sum(d) FROM unnest(codes, statuses, deltas) AS u(code, st, d)
    GROUP BY code, st HAVING sum(d) <> 0 ORDER BY code, st
    ON CONFLICT (village_code, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    INSERT INTO subscriber_daily AS s (day, village_code, active_delta)
    SELECT current_date, code, sum(d) FROM unnest(codes, statuses, deltas) AS u(code, st, d)
    WHERE st = 'active' GROUP BY code HAVING sum(d) <> 0 ORDER BY code
    ON CONFLICT (day, village_code) DO UPDATE SET active_delta = s.active_delta + EXCLUDED.active_delta;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION subscriber_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM subscriber_counts_add(array_agg(village_code), array_agg(status), array_agg(1)) FROM new_rows;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION subscriber_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM subscriber_counts_add(array_agg(village_code), array_agg(status), array_agg(d))
    FROM (SELECT village_code, status, 1 AS d FROM new_rows
          UNION ALL SELECT village_code, status, -1 FROM old_rows) AS x;
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION subscriber_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM subscriber_counts_add(array_agg(village_code), array_agg(status), array_agg(-1)) FROM old_rows;
    RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER subscriber_counts_insert AFTER INSERT ON subscribers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_counts_inserted();
CREATE TRIGGER subscriber_counts_update AFTER UPDATE ON subscribers
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_counts_updated();
CREATE TRIGGER subscriber_counts_delete AFTER DELETE ON subscribers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION subscriber_counts_deleted();

-- +goose Down
DROP TRIGGER subscriber_counts_delete ON subscribers;
DROP TRIGGER subscriber_counts_update ON subscribers;
DROP TRIGGER subscriber_counts_insert ON subscribers;
DROP FUNCTION subscriber_counts_deleted();
DROP FUNCTION subscriber_counts_updated();
DROP FUNCTION subscriber_counts_inserted();
DROP FUNCTION subscriber_counts_add(text[], text[], int[]);
DROP TABLE subscriber_daily;
DROP TABLE subscriber_counts;
