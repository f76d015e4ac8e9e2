-- Owner: package broadcast. Announcements (the content), schedules (when and
-- to whom) and runs (one per fire time). Deliveries live in 00008.
-- +goose Up
CREATE TABLE announcements (
    id               bigserial PRIMARY KEY,
    -- Operator's telegram id; NULL = created from the CLI.
    created_by       bigint,
    -- Telegram HTML; the caption when a photo or document is set.
    text             text NOT NULL DEFAULT '',
    photo_file_id    text NOT NULL DEFAULT '',
    document_file_id text NOT NULL DEFAULT '',
    -- [][]message.Button (link buttons only).
    buttons          jsonb NOT NULL DEFAULT '[]',
    urgent           boolean NOT NULL DEFAULT false,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT announcements_one_media CHECK (photo_file_id = '' OR document_file_id = '')
);

CREATE TABLE schedules (
    id              bigserial PRIMARY KEY,
    announcement_id bigint NOT NULL REFERENCES announcements (id),
    -- Region prefixes, deduplicated (none inside another).
    targets         text[] NOT NULL,
    kind            text NOT NULL,
    cron_spec       text NOT NULL DEFAULT '',
    tz              text NOT NULL,
    end_at          timestamptz,
    -- NULL = no more fires.
    next_run_at     timestamptz,
    status          text NOT NULL DEFAULT 'active',
    -- Creator's scope prefix; '' = CLI (admin, whole country).
    scope           text NOT NULL,
    created_by      bigint,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schedules_kind_valid CHECK (kind IN ('now', 'once', 'cron')),
    CONSTRAINT schedules_status_valid CHECK (status IN ('active', 'paused', 'cancelled', 'finished')),
    CONSTRAINT schedules_cron_has_spec CHECK ((kind = 'cron') = (cron_spec <> '')),
    CONSTRAINT schedules_has_targets CHECK (cardinality(targets) > 0)
);

-- Shaped like the dispatcher's claim.
CREATE INDEX schedules_due_idx ON schedules (next_run_at) WHERE status = 'active';
CREATE INDEX schedules_scope_idx ON schedules (scope text_pattern_ops, id);

CREATE TABLE runs (
    id            bigserial PRIMARY KEY,
    schedule_id   bigint NOT NULL REFERENCES schedules (id),
    fire_at       timestamptz NOT NULL,
    status        text NOT NULL,
    urgent        boolean NOT NULL,
    targeted      integer NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL,
    started_at    timestamptz,
    finished_at   timestamptz,
    -- Fairness: the engine serves the run claimed longest ago.
    last_claim_at timestamptz,
    CONSTRAINT runs_status_valid CHECK (status IN ('sending', 'paused', 'done', 'cancelled')),
    -- Two dispatchers can never fire one schedule twice for one time.
    CONSTRAINT runs_schedule_fire_unique UNIQUE (schedule_id, fire_at)
);

CREATE INDEX runs_sending_idx ON runs (status, urgent DESC, last_claim_at) WHERE status = 'sending';

-- +goose Down
DROP TABLE runs;
DROP TABLE schedules;
DROP TABLE announcements;
