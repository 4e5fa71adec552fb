-- The answers to writes sent with an Idempotency-Key header: a retry with the same key gets the first
-- answer back and changes nothing more. A key belongs to whoever sent it (a signed-in user's id or an API
-- token's id), so two principals never share one. Keys are kept a day (db/idempotency-keys.ts).
CREATE TABLE idempotency_keys (
  principal        text NOT NULL,
  key              text NOT NULL,
  -- The request the key was first used for: the same key with another method, URL or body is refused.
  method           text NOT NULL,
  url              text NOT NULL,
  request_hash     text NOT NULL,
  -- New with every claim: a request that lost its claim (taken over after it was abandoned) cannot
  -- complete or release the claim of the request that took it over.
  claim_token      uuid NOT NULL,
  -- NULL while the request is still being processed.
  status           integer,
  response_headers jsonb,
  -- NULL with a status: the answer was a stream, which is not kept (a retry is refused, not run again).
  response_body    bytea,
  -- When the key was claimed (again, when an abandoned claim was taken over): the day is counted from here.
  created_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz,
  PRIMARY KEY (principal, key),
  CHECK ((status IS NULL) = (completed_at IS NULL))
);

-- Every claim first deletes the keys older than a day: found by age.
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
