-- Owner: package proposals. A KIM proposes news or a notice for its area;
-- an operator of the area approves it (it becomes an ordinary schedule,
-- credited to the KIM, made with request key 'usul-<id>' so a retry after
-- a crash never makes two) or rejects it with a reason. Nothing goes out
-- before an approval: only an approved row ever gets a schedule.
-- +goose Up
CREATE TABLE proposals (
    id             bigserial PRIMARY KEY,
    kim_id         bigint NOT NULL REFERENCES kim (id),
    -- The KIM's area when it was filed: the operators who may decide.
    area           text NOT NULL REFERENCES regions (code),
    -- The moderator asked for the wider area (the kecamatan, or the city
    -- of a KIM kecamatan) instead of their own.
    wider          boolean NOT NULL DEFAULT false,
    proposer       bigint NOT NULL,
    proposer_name  text NOT NULL DEFAULT '',
    -- Telegram HTML, as residents would read it (without the credit line).
    text           text NOT NULL,
    photo_file_id  text NOT NULL DEFAULT '',
    status         text NOT NULL DEFAULT 'menunggu',
    target         text REFERENCES regions (code),
    send_at        timestamptz,
    schedule_id    bigint REFERENCES schedules (id),
    decided_by     bigint,
    decided_name   text NOT NULL DEFAULT '',
    decided_at     timestamptz,
    reject_reason  text NOT NULL DEFAULT '',
    source_key     text UNIQUE,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT proposals_status_valid CHECK (status IN ('menunggu', 'disetujui', 'ditolak')),
    CONSTRAINT proposals_decided CHECK (status = 'menunggu' OR decided_at IS NOT NULL),
    CONSTRAINT proposals_approved_target CHECK (status <> 'disetujui' OR (target IS NOT NULL AND send_at IS NOT NULL)),
    CONSTRAINT proposals_schedule_of_approved CHECK (schedule_id IS NULL OR status = 'disetujui')
);

CREATE INDEX proposals_area_idx ON proposals (status, area text_pattern_ops, created_at);
CREATE INDEX proposals_kim_idx ON proposals (kim_id, created_at);
-- Approved proposals still waiting for their schedule (a crash between
-- the approval and the schedule): the sweep finishes them.
CREATE INDEX proposals_unscheduled_idx ON proposals (id) WHERE status = 'disetujui' AND schedule_id IS NULL;

-- +goose Down
DROP TABLE proposals;
