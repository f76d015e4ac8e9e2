-- Owner: package aspirations. Tickets residents file, their threads, every
-- change with its time (so first response and time to close are
-- computable), and the outbox of posts and notifications that must reach
-- Telegram. Ticket numbers come from one sequence per year,
-- aspiration_number_<year>, which the service creates on first use.
-- +goose Up

CREATE TABLE aspiration_tickets (
    id                bigserial PRIMARY KEY,
    number            text NOT NULL UNIQUE,
    -- NULL once the resident erased their data (/hapusdata).
    resident_chat     bigint,
    resident_name     text NOT NULL DEFAULT '',
    village_code      text NOT NULL REFERENCES regions (code),
    category          text NOT NULL,
    text              text NOT NULL,
    attachment        jsonb,
    anonymous         boolean NOT NULL DEFAULT false,
    status            text NOT NULL DEFAULT 'baru',
    claimed_by        bigint,
    claimed_by_name   text NOT NULL DEFAULT '',
    answered_by       bigint,
    answered_by_name  text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    -- When the ticket (re)entered the unclaimed queue: the SLA clock for
    -- automatic escalation.
    queued_at         timestamptz NOT NULL,
    claimed_at        timestamptz,
    -- A claim with no answer by then goes back to the queue.
    claim_deadline    timestamptz,
    first_response_at timestamptz,
    closed_at         timestamptz,
    escalated_at      timestamptz,
    reject_reason     text NOT NULL DEFAULT '',
    rating            boolean,
    rated_at          timestamptz,
    source_key        text UNIQUE,
    CONSTRAINT aspiration_tickets_status_valid CHECK (status IN ('baru', 'diproses', 'dijawab', 'ditolak', 'diteruskan')),
    CONSTRAINT aspiration_tickets_category_valid CHECK (category IN ('infrastruktur', 'layanan_publik', 'kesehatan', 'pendidikan', 'keamanan', 'cek_hoaks', 'lainnya')),
    CONSTRAINT aspiration_tickets_claim_together CHECK ((status <> 'diproses') OR (claimed_by IS NOT NULL))
);

-- Shaped like /antrian: status equality, village prefix range, oldest first.
-- Narrow scopes (a village, a district) read their range here and sort the
-- few rows; counts are index-only scans of it.
CREATE INDEX aspiration_tickets_queue_idx ON aspiration_tickets (status, village_code text_pattern_ops, created_at, id);
-- Wide scopes (a city, a province) walk the open tickets oldest first and
-- stop after one page instead of sorting tens of thousands.
CREATE INDEX aspiration_tickets_open_idx ON aspiration_tickets (created_at, id) INCLUDE (status, village_code)
    WHERE status IN ('baru', 'diproses', 'diteruskan');
-- The resident's /status.
CREATE INDEX aspiration_tickets_resident_idx ON aspiration_tickets (resident_chat, created_at DESC) WHERE resident_chat IS NOT NULL;
-- SLA sweeps.
CREATE INDEX aspiration_tickets_unclaimed_idx ON aspiration_tickets (queued_at) WHERE status = 'baru';
CREATE INDEX aspiration_tickets_claim_deadline_idx ON aspiration_tickets (claim_deadline) WHERE status = 'diproses';

CREATE TABLE aspiration_messages (
    id         bigserial PRIMARY KEY,
    ticket_id  bigint NOT NULL REFERENCES aspiration_tickets (id) ON DELETE CASCADE,
    from_role  text NOT NULL,
    author_id  bigint NOT NULL DEFAULT 0,
    text       text NOT NULL,
    attachment jsonb,
    created_at timestamptz NOT NULL
);

CREATE INDEX aspiration_messages_ticket_idx ON aspiration_messages (ticket_id, id);

-- Every change of a ticket, with who and when.
CREATE TABLE aspiration_events (
    id         bigserial PRIMARY KEY,
    ticket_id  bigint NOT NULL REFERENCES aspiration_tickets (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    status     text NOT NULL,
    actor_role text NOT NULL,
    actor_id   bigint NOT NULL DEFAULT 0,
    note       text NOT NULL DEFAULT '',
    at         timestamptz NOT NULL
);

CREATE INDEX aspiration_events_ticket_idx ON aspiration_events (ticket_id, id);

-- Posts and notifications waiting for Telegram. A row is claimed by
-- pushing next_at forward (a lease), sent, and finished as sent (with
-- Telegram's message id, so replies can be matched back) or failed.
CREATE TABLE aspiration_outbox (
    id          bigserial PRIMARY KEY,
    ticket_id   bigint REFERENCES aspiration_tickets (id) ON DELETE CASCADE,
    kind        text NOT NULL,
    chat_id     bigint NOT NULL,
    payload     jsonb NOT NULL,
    status      text NOT NULL DEFAULT 'pending',
    attempt     int NOT NULL DEFAULT 0,
    next_at     timestamptz NOT NULL,
    message_id  int,
    last_error  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    finished_at timestamptz,
    CONSTRAINT aspiration_outbox_status_valid CHECK (status IN ('pending', 'sent', 'failed'))
);

CREATE INDEX aspiration_outbox_due_idx ON aspiration_outbox (next_at, id) WHERE status = 'pending';
-- The per-chat order check of the claim: is an older row for this chat pending?
CREATE INDEX aspiration_outbox_chat_pending_idx ON aspiration_outbox (chat_id, id) WHERE status = 'pending';
CREATE INDEX aspiration_outbox_message_idx ON aspiration_outbox (chat_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX aspiration_outbox_ticket_idx ON aspiration_outbox (ticket_id);

-- +goose Down
DROP TABLE aspiration_outbox;
DROP TABLE aspiration_events;
DROP TABLE aspiration_messages;
DROP TABLE aspiration_tickets;
-- +goose StatementBegin
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'aspiration_number_%' LOOP
        EXECUTE 'DROP SEQUENCE ' || quote_ident(r.relname);
    END LOOP;
END $$;
-- +goose StatementEnd
