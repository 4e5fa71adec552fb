-- The case-id key's fingerprint (issue 14): an HMAC of a fixed label with the key, never the key. The first import stores
-- it; the worker and the CLI compare their own key with it at start, and `ot status` shows the comparison, so a process
-- with another key is refused instead of making new case ids (a re-import would start every case again) or matching none.
-- One row: the key of a database never changes. The worker stores it (the import is the worker's); the API and the CLI
-- only read it; nobody may change or remove it (a new key is a new database: see the README, "The case-id key").
CREATE TABLE case_id_key (
  only_row    boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  fingerprint text NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{16}$'),
  recorded_at timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON case_id_key FROM ot_worker, ot_api;
GRANT SELECT, INSERT ON case_id_key TO ot_worker;
GRANT SELECT ON case_id_key TO ot_api;
