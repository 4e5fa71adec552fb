-- Notes live here, and only here: what a person wrote on a case (a reply's, an outcome's, a call's, a returned
-- letter's note) and the text of a youth's SMS reply as its case keeps it. The client stores the note first and
-- the case workflow carries its id (noteId), so Temporal's history holds no note text; the journal row names
-- the note (case_events.note_id) and its readers join the text in. Clearing a case's notes is clearing these rows.
-- Journal rows recorded before this keep their text in case_events.note (their workflows carried it).
CREATE TABLE case_notes (
  id         uuid PRIMARY KEY,
  case_id    text NOT NULL REFERENCES persons(case_id),
  text       text NOT NULL,
  -- The users.id of whoever wrote it, when they were signed in; absent for an SMS the youth wrote.
  written_by text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_notes_case ON case_notes (case_id);

-- A note erased (retention, a person's request) leaves its journal row, and the row's count, in place.
ALTER TABLE case_events ADD COLUMN note_id uuid REFERENCES case_notes(id) ON DELETE SET NULL;

-- The API and the CLI store notes, read them back for the journal and the call lists, and delete one whose
-- request the case refused. The worker never reads a note's text: its projection only checks that the id
-- a case carries names a note of that case (db/cases.ts writeJournalEntry), so it may see those two columns.
REVOKE ALL ON case_notes FROM ot_worker, ot_api;
GRANT SELECT, INSERT, DELETE ON case_notes TO ot_api;
GRANT SELECT (id, case_id) ON case_notes TO ot_worker;
