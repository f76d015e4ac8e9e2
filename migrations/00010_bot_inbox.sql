-- Owner: package bot. The durable inbox of Telegram updates: the poller or
-- the webhook stores each update here before acknowledging it to Telegram,
-- and workers claim rows in order per chat (at most one in flight per chat).
-- (Numbered 00010, not the planned 00003: goose refuses a migration older
-- than ones a database already applied, and 00004-00009 shipped first.)
-- +goose Up
CREATE TABLE bot_updates (
    update_id    bigint PRIMARY KEY,
    chat_id      bigint NOT NULL,              -- 0 when the update has no chat
    payload      jsonb NOT NULL,
    status       text NOT NULL DEFAULT 'pending',
    attempts     integer NOT NULL DEFAULT 0,
    locked_until timestamptz,                  -- running: lease end; pending: not before
    received_at  timestamptz NOT NULL DEFAULT now(),
    handled_at   timestamptz,
    last_error   text,
    CONSTRAINT bot_updates_status_valid CHECK (status IN ('pending', 'running', 'done', 'failed')),
    CONSTRAINT bot_updates_attempts_valid CHECK (attempts >= 0),
    CONSTRAINT bot_updates_running_leased CHECK (status <> 'running' OR locked_until IS NOT NULL),
    CONSTRAINT bot_updates_handled_when_final CHECK ((status IN ('done', 'failed')) = (handled_at IS NOT NULL))
);

-- Shaped like the claim: the oldest open update of each chat.
CREATE INDEX bot_updates_open_idx ON bot_updates (chat_id, update_id)
    WHERE status IN ('pending', 'running');

-- Shaped like the pruning of handled rows.
CREATE INDEX bot_updates_handled_idx ON bot_updates (handled_at)
    WHERE status IN ('done', 'failed');

-- +goose Down
DROP TABLE bot_updates;
