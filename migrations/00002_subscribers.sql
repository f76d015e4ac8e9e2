-- Owner: package broadcast. Residents subscribed to a village.
-- Only the chat id is kept: no names or usernames.
-- +goose Up
CREATE TABLE subscribers (
    chat_id      bigint PRIMARY KEY,
    village_code text NOT NULL REFERENCES regions (code),
    status       text NOT NULL DEFAULT 'active',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    stopped_at   timestamptz,
    CONSTRAINT subscribers_status_valid CHECK (status IN ('active', 'stopped', 'blocked'))
);

-- Shaped like the fan-out: active subscribers whose village lies under a prefix.
CREATE INDEX subscribers_active_village_idx ON subscribers (village_code text_pattern_ops, chat_id)
    WHERE status = 'active';

-- +goose Down
DROP TABLE subscribers;
