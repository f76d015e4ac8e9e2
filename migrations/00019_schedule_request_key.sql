-- Owner: package broadcast. The key of the request that created a
-- schedule (the console's draft): the same draft confirmed twice (a
-- double click, a back button, two posts at once) makes one schedule.
-- +goose Up
ALTER TABLE schedules ADD COLUMN request_key text;
CREATE UNIQUE INDEX schedules_request_key_idx ON schedules (request_key) WHERE request_key IS NOT NULL;

-- +goose Down
DROP INDEX schedules_request_key_idx;
ALTER TABLE schedules DROP COLUMN request_key;
