-- The second SMS round: once the office confirms an exported second SMS, its cases are told by a mailing of their own,
-- apart from the first SMS's (a case is in one mailing of each kind).
ALTER TABLE mailings DROP CONSTRAINT mailings_kind_check;
ALTER TABLE mailings ADD CONSTRAINT mailings_kind_check CHECK (kind IN ('letters', 'sms', 'sms2'));

-- Each outbox export, so a file that was lost can be written again (ot sms export --again EXPORTID) with exactly
-- the messages it held that are not yet confirmed sent. No person in it: which unit, who, when, how many.
CREATE TABLE sms_exports (
  export_id     text PRIMARY KEY,
  school_year   integer NOT NULL,
  unit          text NOT NULL,
  messages      integer NOT NULL,
  by_user       text,
  by_user_id    text,
  at            timestamptz NOT NULL DEFAULT now(),
  -- Written again: how often, and the last time by whom.
  again         integer NOT NULL DEFAULT 0,
  again_at      timestamptz,
  again_by      text
);
-- Checked at commit: an export is recorded only once it is known to hold a message, after its messages are taken.
ALTER TABLE sms_messages ADD COLUMN export_id text REFERENCES sms_exports(export_id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX sms_messages_export ON sms_messages (export_id) WHERE export_id IS NOT NULL;

-- Who shares a unit's call lists, changed while a campaign runs: the units file names the staff a unit starts with,
-- and each change after it is a row here (the latest change of a name wins), with who made it and when.
CREATE TABLE unit_staff_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  unit        text NOT NULL,
  staff       text NOT NULL,
  change      text NOT NULL CHECK (change IN ('add', 'remove')),
  by_user     text NOT NULL,
  by_user_id  text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX unit_staff_changes_unit ON unit_staff_changes (unit, id);

-- A call moved to another staff member (its caller left the unit, or it was reassigned): from whom, why, who moved it and
-- when. The last move is kept on the entry; every move also leaves an audit row.
ALTER TABLE call_list ADD COLUMN moved_from text;
ALTER TABLE call_list ADD COLUMN moved_at timestamptz;
ALTER TABLE call_list ADD COLUMN moved_by text;
ALTER TABLE call_list ADD COLUMN moved_by_user_id text;
ALTER TABLE call_list ADD COLUMN move_reason text CHECK (move_reason IN ('staff-removed', 'reassigned'));

-- The API and the CLI record staff changes and move calls; the worker reads who the staff are when it shares a new call.
REVOKE ALL ON unit_staff_changes, sms_exports FROM ot_worker, ot_api;
GRANT SELECT ON unit_staff_changes TO ot_worker;
GRANT SELECT, INSERT ON unit_staff_changes TO ot_api;
GRANT SELECT, INSERT, UPDATE ON sms_exports TO ot_api;
-- Only who holds a call and how it got there: the API still cannot put a case on a list or take it off.
GRANT UPDATE (staff, moved_from, moved_at, moved_by, moved_by_user_id, move_reason) ON call_list TO ot_api;
