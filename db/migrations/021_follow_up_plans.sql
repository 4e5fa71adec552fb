-- Follow-up plans (oppfølgingsplan) of youth under follow-up (OTOV): the goal and the agreed measures are what OT
-- and the youth agreed, personal like a note, so they live here and only here. The client stores a plan first and
-- the case workflow carries its id and its review dates (the PLAN update); a changed plan is a new row, so the
-- journal entry of each change names the plan as it was then. A review's "what happened" is a note (case_notes).
CREATE TABLE follow_up_plans (
  id           uuid PRIMARY KEY,
  case_id      text NOT NULL REFERENCES persons(case_id),
  goal         text NOT NULL,
  -- [{ what, responsible: OT | NAV | school | trainingOffice, from, to }]
  measures     jsonb NOT NULL,
  -- Days (2085-03-01) or, on a compressed calendar, moments: as the case holds them.
  review_dates text[] NOT NULL,
  -- The users.id of whoever made it.
  written_by   text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follow_up_plans_case ON follow_up_plans (case_id, created_at);

-- Where each case's plan stands, as its workflow projects it (CaseView.planId, CaseView.review): the lists of reviews
-- due and overdue read these. review_at is the review's moment; review_state planned, due or overdue.
ALTER TABLE cases ADD COLUMN plan_id uuid, ADD COLUMN review_on text, ADD COLUMN review_at timestamptz, ADD COLUMN review_state text;
CREATE INDEX cases_review ON cases (school_year, review_state) WHERE review_state IN ('due', 'overdue');

-- The API and the CLI store plans and read them back; a plan the case refused is deleted again. The worker never
-- reads a plan's text; retention and a person's erasure (db/erasure.ts) run in the worker and delete by case_id.
REVOKE ALL ON follow_up_plans FROM ot_worker, ot_api;
GRANT SELECT, INSERT, DELETE ON follow_up_plans TO ot_api;
GRANT SELECT (id, case_id) ON follow_up_plans TO ot_worker;
GRANT DELETE ON follow_up_plans TO ot_worker;
