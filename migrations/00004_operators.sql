-- Owner: package broadcast. Diskominfo operators and the one-time invitation
-- codes that bring in new operators (and, through the same table, KIM
-- moderators: package aspirations redeems role 'moderator' codes inside its
-- own transaction and inserts into its own table).
-- +goose Up
CREATE TABLE operators (
    telegram_id bigint PRIMARY KEY,
    -- Region prefix the operator may see and change: "35.73" = Kota Malang.
    scope       text NOT NULL REFERENCES regions (code),
    -- Operator who invited this one; NULL = added from the CLI.
    added_by    bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX operators_scope_idx ON operators (scope text_pattern_ops);

CREATE TABLE invites (
    id          bigserial PRIMARY KEY,
    -- SHA-256 of the normalised code; the code itself is shown once and never stored.
    code_hash   bytea NOT NULL UNIQUE,
    role        text NOT NULL,
    scope       text NOT NULL REFERENCES regions (code),
    created_by  bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    redeemed_by bigint,
    redeemed_at timestamptz,
    CONSTRAINT invites_role_valid CHECK (role IN ('operator', 'moderator')),
    CONSTRAINT invites_redeemed_together CHECK ((redeemed_by IS NULL) = (redeemed_at IS NULL))
);

-- +goose Down
DROP TABLE invites;
DROP TABLE operators;
