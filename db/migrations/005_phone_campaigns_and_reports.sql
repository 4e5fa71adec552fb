-- The phone campaign whose call list a case is on now (NULL: none).
ALTER TABLE cases ADD COLUMN phone_campaign text;

-- Numbers that are not the youth's mobile: mobiles replaced by a newer one. A wrong mobile stays in
-- persons.mobile, marked, until a new one is registered.
ALTER TABLE persons ADD COLUMN other_phones text[] NOT NULL DEFAULT '{}';
ALTER TABLE persons ADD COLUMN mobile_wrong boolean NOT NULL DEFAULT false;

-- Each case a phone campaign put on a call list, and who it was given to. An entry stays when the case
-- leaves the list (reached, resolved, the campaign over): left_at says when and left_as where it went,
-- so a case resolved mid-campaign never moves anyone else's calls.
CREATE TABLE call_list (
  school_year integer NOT NULL,
  campaign    text NOT NULL,
  case_id     text NOT NULL REFERENCES persons(case_id),
  unit        text NOT NULL,
  -- NULL: the unit had no staff configured when the case came onto the list.
  staff       text,
  assigned_at timestamptz NOT NULL DEFAULT now(),
  left_at     timestamptz,
  left_as     text,
  PRIMARY KEY (school_year, campaign, case_id)
);
CREATE INDEX call_list_unit ON call_list (school_year, unit, campaign);
-- Sharing counts what each staff member holds: their open calls, and the cases they follow up.
CREATE INDEX call_list_open_staff ON call_list (school_year, staff) WHERE left_at IS NULL;
CREATE INDEX cases_caseworker ON cases (school_year, caseworker) WHERE caseworker IS NOT NULL;
-- Every projection write closes the case's open entry, if any: found by case.
CREATE INDEX call_list_open_case ON call_list (case_id) WHERE left_at IS NULL;

-- The cases' status at a moment is read from their journal: the last change at or before it.
CREATE INDEX case_events_case_at ON case_events (case_id, at);

-- Report snapshots: every case's status code at a report's moment, and the counts made of them. Taken
-- once per cohort and report (the UNIQUE key makes a second take find the first), never changed after.
CREATE TABLE report_snapshots (
  snapshot_id text PRIMARY KEY,
  school_year integer NOT NULL,
  report      text NOT NULL,
  as_of       timestamptz NOT NULL,
  taken_at    timestamptz NOT NULL DEFAULT now(),
  taken_by    text NOT NULL,
  counts      jsonb NOT NULL,
  UNIQUE (school_year, report)
);

CREATE TABLE report_snapshot_cases (
  snapshot_id text NOT NULL REFERENCES report_snapshots(snapshot_id),
  case_id     text NOT NULL REFERENCES persons(case_id),
  unit        text NOT NULL,
  status      text NOT NULL,
  PRIMARY KEY (snapshot_id, case_id)
);

CREATE FUNCTION refuse_report_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a stored report snapshot cannot be changed or deleted' USING ERRCODE = 'restrict_violation';
END $$;

CREATE TRIGGER report_snapshots_unchangeable BEFORE UPDATE OR DELETE ON report_snapshots
  FOR EACH ROW EXECUTE FUNCTION refuse_report_change();
CREATE TRIGGER report_snapshot_cases_unchangeable BEFORE UPDATE OR DELETE ON report_snapshot_cases
  FOR EACH ROW EXECUTE FUNCTION refuse_report_change();
