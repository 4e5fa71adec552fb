-- The campaign calendar of a cohort (NULL: the default for its school year) and its version, which
-- running cases compare so that a late signal never brings back an older calendar. json, not jsonb:
-- it keeps the calendar's own key order for people reading it.
ALTER TABLE cohorts ADD COLUMN calendar json;
ALTER TABLE cohorts ADD COLUMN calendar_version integer NOT NULL DEFAULT 1;
ALTER TABLE cohorts ADD COLUMN calendar_changed_at timestamptz;

-- Every recorded change of a case, as its workflow journals it: who, when, channel, note, from and to.
CREATE TABLE case_events (
  case_id   text NOT NULL REFERENCES persons(case_id),
  seq       bigint NOT NULL,
  at        timestamptz NOT NULL,
  event     text NOT NULL,
  by_user   text,
  channel   text,
  note      text,
  detail    jsonb,
  from_stage text NOT NULL,
  from_status text NOT NULL,
  to_stage  text NOT NULL,
  to_status text NOT NULL,
  PRIMARY KEY (case_id, seq)
);

-- A confirmed mailing (letters or SMS) of a unit: exactly the cases that were due in it when the office confirmed it.
CREATE TABLE mailings (
  mailing_id  text PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('letters', 'sms')),
  school_year integer NOT NULL,
  unit        text NOT NULL,
  os_code     text NOT NULL DEFAULT '',
  sent_on     text NOT NULL,
  confirmed_by text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, school_year, unit, os_code, sent_on)
);

CREATE TABLE mailing_cases (
  mailing_id text NOT NULL REFERENCES mailings(mailing_id),
  case_id    text NOT NULL REFERENCES persons(case_id),
  signalled  boolean NOT NULL DEFAULT false,
  PRIMARY KEY (mailing_id, case_id)
);
CREATE INDEX mailing_cases_case ON mailing_cases (case_id);

-- Where each case's SMS stands, so the SMS list includes cases waiting on a phone campaign's call list.
ALTER TABLE cases ADD COLUMN sms text NOT NULL DEFAULT 'notYet';
