-- Owner: package broadcast. A resident's /hapusdata keeps the delivery
-- counts of past runs (a run's report must still add up) but not their
-- chat id: each of their delivery rows gets a number from this sequence,
-- written as chat_id -9e18 + n, far below any Telegram chat id (users are
-- positive, groups above -2e12), unique per row so nothing links two rows
-- of one person.
-- +goose Up
CREATE SEQUENCE erased_chat_seq;

-- +goose Down
DROP SEQUENCE erased_chat_seq;
