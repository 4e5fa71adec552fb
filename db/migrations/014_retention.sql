-- Retention and erasure (issue 14): a cohort past its retention period, or one person on request, can be erased
-- while every stored report keeps exactly its counts.

-- The counts of a report live in report_snapshots.counts; report_snapshot_cases only links them to persons. That
-- link may go once its person is gone, and nothing else: no update ever, no deletion of a snapshot, no deletion of
-- a link whose person is still there (the trigger refuses even the owner). The foreign key to persons goes, so the
-- person can be deleted first and its links after, in the same transaction (db/erasure.ts).
ALTER TABLE report_snapshot_cases DROP CONSTRAINT IF EXISTS report_snapshot_cases_case_id_fkey;

CREATE FUNCTION refuse_report_case_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM persons WHERE case_id = OLD.case_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'a stored report snapshot cannot be changed or deleted (only the link to an erased person may go)'
    USING ERRCODE = 'restrict_violation';
END $$;

DROP TRIGGER report_snapshot_cases_unchangeable ON report_snapshot_cases;
CREATE TRIGGER report_snapshot_cases_unchangeable BEFORE UPDATE OR DELETE ON report_snapshot_cases
  FOR EACH ROW EXECUTE FUNCTION refuse_report_case_change();

-- The audit stays append-only, except that rows older than their own retention period may be purged, and only
-- through purge_audit_log, which refuses any period under a year whatever the caller asks.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('ot.audit_purge', true) = 'on' AND OLD.at < now() - interval '1 year' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$;

CREATE FUNCTION purge_audit_log(keep_years integer) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
  gone bigint;
BEGIN
  IF keep_years IS NULL OR keep_years < 1 THEN
    RAISE EXCEPTION 'audit rows are kept at least a year';
  END IF;
  PERFORM set_config('ot.audit_purge', 'on', true);
  DELETE FROM audit_log WHERE at < now() - make_interval(years => keep_years);
  GET DIAGNOSTICS gone = ROW_COUNT;
  PERFORM set_config('ot.audit_purge', 'off', true);
  RETURN gone;
END $$;
REVOKE ALL ON FUNCTION purge_audit_log(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION purge_audit_log(integer) TO ot_worker;

-- What each retention run or erasure removed: when, which cohort, how many rows per kind, who or which schedule.
-- No personal data: counts only (a person's erasure names no case id either).
CREATE TABLE retention_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  school_year integer NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('cohort', 'person')),
  counts      jsonb NOT NULL,
  files       integer NOT NULL DEFAULT 0,
  by_who      text NOT NULL,
  workflow_id text NOT NULL
);

-- Erasure runs in the worker alone (its retention workflow): it deletes what it otherwise only writes. The API and
-- the CLI read the log.
REVOKE ALL ON retention_log FROM ot_worker, ot_api;
GRANT SELECT, INSERT ON retention_log TO ot_worker;
GRANT SELECT ON retention_log TO ot_api;
GRANT DELETE ON persons, cases, case_events, import_rows, imports, letters, held_letters, returned_letters,
  mailing_cases, sms_messages, sms_inbox, call_list, report_snapshot_cases TO ot_worker;
GRANT SELECT ON held_letters, sms_inbox, returned_letters, report_snapshot_cases TO ot_worker;
