-- The order service's database. The order row and its outbox row are
-- written in one transaction; that is the whole transactional outbox.
CREATE TABLE IF NOT EXISTS orders (
    seq             INTEGER PRIMARY KEY,
    id              TEXT    NOT NULL UNIQUE,
    idempotency_key TEXT    NOT NULL,
    -- unique_key holds the key only while idempotency=redis+db, so the
    -- constraint can be switched on and off without rebuilding the table
    -- (NULLs never collide).
    unique_key      TEXT    UNIQUE,
    item            TEXT    NOT NULL,
    qty             INTEGER NOT NULL,
    publish_mode    TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_key ON orders (idempotency_key);

CREATE TABLE IF NOT EXISTS outbox (
    id              INTEGER PRIMARY KEY,
    event_id        TEXT    NOT NULL UNIQUE,
    order_id        TEXT    NOT NULL,
    type            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'pending', -- pending, published, dead
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    next_attempt_at TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    published_at    TEXT
);
-- Partial indexes: a row leaves them when the relay marks it published,
-- so marking a batch only deletes index entries.
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS outbox_dead ON outbox (id) WHERE status = 'dead';
CREATE INDEX IF NOT EXISTS outbox_by_order ON outbox (order_id);
