-- One consumer's own database: its visible effect and its inbox. With
-- dedup on, the inbox row and the effect commit in one transaction.
CREATE TABLE IF NOT EXISTS effects (
    id         INTEGER PRIMARY KEY,
    order_id   TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    detail     TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS processed_events (
    event_id     TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL,
    processed_at TEXT NOT NULL
);
