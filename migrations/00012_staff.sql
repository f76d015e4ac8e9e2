-- Owner: package staff. Operators and moderators move into one table keyed
-- by person and role, so "who is Telegram user N" is one indexed read and
-- every role carries its region scope the same way. The moderator group
-- link codes follow (renamed group_link_codes, still cascading when the
-- moderator goes). invites (00004) is now package staff's too.
-- +goose Up
CREATE TABLE staff (
    telegram_id   bigint NOT NULL,
    role          text NOT NULL,
    -- Region prefix the person may see and change: "35.73" = Kota Malang.
    scope         text NOT NULL REFERENCES regions (code),
    -- A moderator's KIM group; NULL = ticket posts go to the private chat.
    group_chat_id bigint,
    -- Who invited or added them; NULL = the CLI.
    added_by      bigint,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (telegram_id, role),
    CONSTRAINT staff_role_valid CHECK (role IN ('operator', 'moderator')),
    CONSTRAINT staff_group_of_moderator CHECK (group_chat_id IS NULL OR role = 'moderator')
);

-- Shaped like the covering lookups: role = … AND scope = ANY(ancestors),
-- and the scope listings (scope LIKE '35.73.%').
CREATE INDEX staff_role_scope_idx ON staff (role, scope text_pattern_ops);

INSERT INTO staff (telegram_id, role, scope, group_chat_id, added_by, created_at, updated_at)
SELECT telegram_id, 'operator', scope, NULL, added_by, created_at, updated_at FROM operators;

INSERT INTO staff (telegram_id, role, scope, group_chat_id, added_by, created_at, updated_at)
SELECT telegram_id, 'moderator', scope, group_chat_id, added_by, created_at, updated_at FROM moderators;

ALTER TABLE moderator_link_codes DROP CONSTRAINT moderator_link_codes_moderator_id_fkey;
ALTER TABLE moderator_link_codes RENAME TO group_link_codes;
ALTER TABLE group_link_codes
    ADD COLUMN role text NOT NULL DEFAULT 'moderator' CONSTRAINT group_link_codes_moderator CHECK (role = 'moderator'),
    ADD CONSTRAINT group_link_codes_staff_fkey FOREIGN KEY (moderator_id, role)
        REFERENCES staff (telegram_id, role) ON DELETE CASCADE;

DROP TABLE moderators;
DROP TABLE operators;

-- +goose Down
CREATE TABLE operators (
    telegram_id bigint PRIMARY KEY,
    scope       text NOT NULL REFERENCES regions (code),
    added_by    bigint,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX operators_scope_idx ON operators (scope text_pattern_ops);
INSERT INTO operators SELECT telegram_id, scope, added_by, created_at, updated_at FROM staff WHERE role = 'operator';

CREATE TABLE moderators (
    telegram_id   bigint PRIMARY KEY,
    scope         text NOT NULL REFERENCES regions (code),
    group_chat_id bigint,
    added_by      bigint,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX moderators_scope_idx ON moderators (scope);
INSERT INTO moderators SELECT telegram_id, scope, group_chat_id, added_by, created_at, updated_at FROM staff WHERE role = 'moderator';

ALTER TABLE group_link_codes DROP CONSTRAINT group_link_codes_staff_fkey;
ALTER TABLE group_link_codes DROP COLUMN role;
ALTER TABLE group_link_codes RENAME TO moderator_link_codes;
ALTER TABLE moderator_link_codes ADD CONSTRAINT moderator_link_codes_moderator_id_fkey
    FOREIGN KEY (moderator_id) REFERENCES moderators (telegram_id) ON DELETE CASCADE;
DROP TABLE staff;
