-- Owner: package staff. A KIM group that uses topics (a forum supergroup)
-- keeps its ticket posts in the topic where /tautkan was typed: the
-- topic's message_thread_id goes with the group link. NULL = General (or
-- a group without topics), which is where every link made before this
-- pointed, so existing rows need no value. A topic only exists inside a
-- group, so it goes when the group link goes.
-- Specs: https://core.telegram.org/bots/api#sendmessage (message_thread_id)
-- +goose Up
ALTER TABLE staff
    ADD COLUMN group_thread_id integer,
    ADD CONSTRAINT staff_thread_of_group CHECK (group_thread_id IS NULL OR group_chat_id IS NOT NULL);

-- +goose Down
ALTER TABLE staff DROP CONSTRAINT staff_thread_of_group, DROP COLUMN group_thread_id;
