-- Owner: package broadcast. The public archive of official announcements
-- and the authenticity check of forwarded messages (issue 13).
--
-- An announcement gets an unguessable archive_key when it is made (NULL:
-- the operator kept it out of the public archive), so the "Cek keaslian"
-- button of its very first delivery can already link to /arsip/{key};
-- the page shows only once first_sent_at is set, when Telegram accepted
-- one of its deliveries. issuer is the credit shown instead of the
-- Diskominfo ("Dari KIM Tlogomas"), filled by issue 12's approved
-- proposals. norm_text is the visible text as the check compares it
-- (broadcast.Normalize), norm_hash its SHA-256 for exact matches,
-- norm_sketch the 12 smallest hashes of its word 3-grams (a bottom-k
-- sketch: a copy with a date or an amount changed keeps most of them)
-- for near matches, and photo_unique_id Telegram's file_unique_id of the photo (the same for
-- every copy and forward of that file), found through getFile.
--
-- Announcements made before this migration have no key, no norm_text
-- and no hash: they stay out of the archive and the check, as nobody
-- chose to publish them.
-- +goose Up
ALTER TABLE announcements
    ADD COLUMN archive_key text,
    ADD COLUMN issuer text,
    ADD COLUMN first_sent_at timestamptz,
    ADD COLUMN norm_text text NOT NULL DEFAULT '',
    ADD COLUMN norm_hash bytea,
    ADD COLUMN norm_sketch integer[] NOT NULL DEFAULT '{}',
    ADD COLUMN photo_unique_id text;

CREATE UNIQUE INDEX announcements_archive_key_idx ON announcements (archive_key) WHERE archive_key IS NOT NULL;
-- The archive's index: public, sent, newest first.
CREATE INDEX announcements_archive_idx ON announcements (first_sent_at DESC, id DESC)
    WHERE archive_key IS NOT NULL AND first_sent_at IS NOT NULL;
-- The check: exact text, near text (shared sketch hashes), the same
-- photo. pg_trgm was measured first and dropped: with 100,000 notices
-- the trigrams every Indonesian text shares ("ang", "kan", " di") make
-- its GIN scan most of the table (p50 9.8 s for an edited copy, see
-- README, Benchmarks); a sketch hash is shared only by near copies.
CREATE INDEX announcements_norm_hash_idx ON announcements (norm_hash) WHERE first_sent_at IS NOT NULL;
CREATE INDEX announcements_norm_sketch_idx ON announcements USING gin (norm_sketch)
    WHERE first_sent_at IS NOT NULL;
CREATE INDEX announcements_photo_unique_idx ON announcements (photo_unique_id) WHERE photo_unique_id IS NOT NULL;
-- Photos whose file_unique_id is still to be asked of Telegram.
CREATE INDEX announcements_photo_unindexed_idx ON announcements (id)
    WHERE photo_file_id <> '' AND photo_unique_id IS NULL;

-- One row per message a resident asked about: what the check found, for
-- the console's weekly figures. No chat id: the village is the asker's
-- subscription at the time ('' without one), as in the aspiration record.
CREATE TABLE archive_checks (
    id              bigserial PRIMARY KEY,
    checked_at      timestamptz NOT NULL,
    village_code    text NOT NULL DEFAULT '',
    result          text NOT NULL,
    announcement_id bigint REFERENCES announcements (id) ON DELETE SET NULL,
    CONSTRAINT archive_checks_result_valid CHECK (result IN ('official', 'edited', 'unknown'))
);

CREATE INDEX archive_checks_time_idx ON archive_checks (checked_at);

-- +goose Down
DROP TABLE archive_checks;
DROP INDEX announcements_photo_unindexed_idx;
DROP INDEX announcements_photo_unique_idx;
DROP INDEX announcements_norm_sketch_idx;
DROP INDEX announcements_norm_hash_idx;
DROP INDEX announcements_archive_idx;
DROP INDEX announcements_archive_key_idx;
ALTER TABLE announcements DROP COLUMN archive_key, DROP COLUMN issuer, DROP COLUMN first_sent_at,
    DROP COLUMN norm_text, DROP COLUMN norm_hash, DROP COLUMN norm_sketch, DROP COLUMN photo_unique_id;
