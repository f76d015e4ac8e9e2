-- Owner: package aspirations. KIM moderators and their region prefixes,
-- one-time codes that link a moderator group chat, canned answers, and the
-- record of daily digests already queued (one per moderator and day, even
-- with several replicas). Moderator invitations use the shared invites
-- table of 00004 with role 'moderator'.
-- +goose Up
CREATE TABLE moderators (
    telegram_id   bigint PRIMARY KEY,
    -- Region prefix: usually a village, a district for a KIM kecamatan.
    scope         text NOT NULL REFERENCES regions (code),
    -- The KIM's moderator group; NULL = posts go to the private chat.
    group_chat_id bigint,
    added_by      bigint,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);

CREATE INDEX moderators_scope_idx ON moderators (scope);

CREATE TABLE moderator_link_codes (
    code_hash    bytea PRIMARY KEY,
    moderator_id bigint NOT NULL REFERENCES moderators (telegram_id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    used_chat_id bigint
);

CREATE TABLE aspiration_canned (
    id         bigserial PRIMARY KEY,
    owner_id   bigint NOT NULL,
    scope      text NOT NULL,
    title      text NOT NULL,
    text       text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT aspiration_canned_owner_title UNIQUE (owner_id, title)
);

CREATE INDEX aspiration_canned_scope_idx ON aspiration_canned (scope);

CREATE TABLE aspiration_digests (
    telegram_id bigint NOT NULL,
    day         date NOT NULL,
    queued_at   timestamptz NOT NULL,
    PRIMARY KEY (telegram_id, day)
);

-- +goose Down
DROP TABLE aspiration_digests;
DROP TABLE aspiration_canned;
DROP TABLE moderator_link_codes;
DROP TABLE moderators;
