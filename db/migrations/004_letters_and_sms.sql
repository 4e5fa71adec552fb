-- A print batch: the letters of one unit and OS code rendered into one PDF, in postnummer order. A batch
-- that the office confirms as posted becomes part of that letters mailing.
CREATE TABLE letter_batches (
  batch_id    text PRIMARY KEY,
  school_year integer NOT NULL,
  unit        text NOT NULL,
  os_code     text NOT NULL,
  number      integer NOT NULL,
  letter_date text NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  mailing_id  text REFERENCES mailings(mailing_id),
  UNIQUE (school_year, unit, os_code, number)
);

-- Each printed letter. round 0 is the standard letter; round n the letter sent again after the n-th return.
-- The key (case, round, recipient) makes a letter printable once: a batch run again prints nothing twice.
CREATE TABLE letters (
  case_id    text NOT NULL REFERENCES persons(case_id),
  round      integer NOT NULL,
  recipient  text NOT NULL,
  batch_id   text NOT NULL REFERENCES letter_batches(batch_id),
  position   integer NOT NULL,
  addressee  text NOT NULL,
  address    jsonb NOT NULL,
  PRIMARY KEY (case_id, round, recipient)
);
CREATE INDEX letters_batch ON letters (batch_id, position);

-- Letters a batch could not print: no name or no complete address (the seed's quality check).
CREATE TABLE held_letters (
  batch_id  text NOT NULL REFERENCES letter_batches(batch_id),
  case_id   text NOT NULL REFERENCES persons(case_id),
  recipient text NOT NULL,
  reason    text NOT NULL,
  PRIMARY KEY (batch_id, case_id, recipient)
);

-- How many times each case's letter came back, so the next batch sends it again.
ALTER TABLE cases ADD COLUMN letter_returns integer NOT NULL DEFAULT 0;

-- Every SMS the campaign hands to the gateway, once per (case, campaign step): the key is the idempotency key.
CREATE TABLE sms_messages (
  message_key  text PRIMARY KEY,
  case_id      text NOT NULL REFERENCES persons(case_id),
  school_year  integer NOT NULL,
  unit         text NOT NULL,
  step         text NOT NULL,
  -- The campaign run (workflow id) that first handed it over: a re-run counts it as done before, not as sent by itself.
  campaign_id  text,
  mobile       text NOT NULL,
  body         text NOT NULL,
  provider     text NOT NULL,
  -- sending: handed to the gateway, answer not yet known · queued: in the outbox · exported: in an outbox CSV
  -- · sent: accepted by the gateway · delivered / failed: the gateway's delivery report
  status       text NOT NULL,
  provider_ref text,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  sent_at      timestamptz,
  status_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_messages_unit ON sms_messages (school_year, unit, status);
CREATE INDEX sms_messages_ref ON sms_messages (provider_ref);

-- Replies by SMS: matched to a case by mobile and registered, or waiting here for office staff to assign.
CREATE TABLE sms_inbox (
  inbound_id  text PRIMARY KEY,
  received_at timestamptz NOT NULL,
  mobile      text NOT NULL,
  body        text NOT NULL,
  case_id     text REFERENCES persons(case_id),
  status      text NOT NULL CHECK (status IN ('registered', 'unmatched', 'assigned')),
  reason      text,
  handled_by  text,
  handled_at  timestamptz
);
CREATE INDEX sms_inbox_open ON sms_inbox (received_at) WHERE status = 'unmatched';
