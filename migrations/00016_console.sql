-- Owner: package console. The web console's sign-in links, its sessions
-- (the table alexedwards/scs/postgresstore expects) and the audit log of
-- staff actions.
-- +goose Up

-- A sign-in link is sent by the bot (/masuk) or printed by `kimbot web
-- link`; only the SHA-256 of its token is kept. It is spent once, by the
-- person's own confirmation on the page it opens.
CREATE TABLE console_links (
    token_hash  bytea PRIMARY KEY,
    telegram_id bigint NOT NULL,
    name        text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
-- Shaped like the rate limit on link requests: one person's recent links.
CREATE INDEX console_links_person_idx ON console_links (telegram_id, created_at);

CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- Who did what and when: staff actions from the console, chat and CLI.
-- scope is the region the action concerned, so each office reads its own.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    actor_role  text NOT NULL,
    actor_id    bigint NOT NULL,   -- 0 for the CLI's admin
    actor_name  text NOT NULL DEFAULT '',
    action      text NOT NULL,
    scope       text NOT NULL DEFAULT '',
    detail      text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_scope_idx ON audit_log (scope text_pattern_ops, at DESC);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE console_links;
