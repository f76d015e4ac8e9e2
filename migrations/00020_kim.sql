-- Owner: package staff. The KIM registry: a KIM is a group with a name,
-- the area it serves (a kelurahan/desa, or a kecamatan for a KIM
-- kecamatan), its decree (SK: number, date, issuer), a contact and the
-- date it was formed. Moderators belong to one KIM (staff.kim_id); the
-- KIM's Telegram group stays on its moderators' rows, where the outbox
-- already routes ticket posts. Every moderator area already in use
-- of a kelurahan or kecamatan becomes one KIM named after its region, so
-- no such moderator is left out (a moderator of a whole city stays no
-- KIM's: a KIM serves a kelurahan or a kecamatan).
-- last_seen_at is when a staff member last wrote to the bot (kept to
-- the hour): a KIM whose moderators no longer reach the bot is vakum.
-- +goose Up
CREATE TABLE kim (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    area       text NOT NULL REFERENCES regions (code),
    sk_number  text NOT NULL DEFAULT '',
    sk_date    date,
    sk_issuer  text NOT NULL DEFAULT '',
    contact    text NOT NULL DEFAULT '',
    formed_on  date,
    created_by bigint,
    -- When an operator last nudged its moderators (at most once a day).
    nudged_at  timestamptz,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT kim_name_length CHECK (char_length(name) BETWEEN 3 AND 80)
);

-- One KIM of a name per area: an import run twice updates, never doubles.
CREATE UNIQUE INDEX kim_area_name_idx ON kim (area, lower(name));
CREATE INDEX kim_area_prefix_idx ON kim (area text_pattern_ops);

ALTER TABLE staff
    ADD COLUMN kim_id bigint REFERENCES kim (id),
    ADD COLUMN last_seen_at timestamptz,
    ADD CONSTRAINT staff_kim_of_moderator CHECK (kim_id IS NULL OR role = 'moderator');
CREATE INDEX staff_kim_idx ON staff (kim_id) WHERE kim_id IS NOT NULL;

INSERT INTO kim (name, area, created_at, updated_at)
SELECT 'KIM ' || r.name, s.scope, min(s.created_at), min(s.created_at)
FROM staff s JOIN regions r ON r.code = s.scope
WHERE s.role = 'moderator' AND r.level IN (3, 4)
GROUP BY s.scope, r.name;

UPDATE staff s SET kim_id = k.id FROM kim k WHERE s.role = 'moderator' AND k.area = s.scope;

-- +goose Down
ALTER TABLE staff DROP CONSTRAINT staff_kim_of_moderator, DROP COLUMN kim_id, DROP COLUMN last_seen_at;
DROP TABLE kim;
