-- Retention and a person's erasure run in the worker (db/erasure.ts): it deletes a person's notes with the rest.
-- It still may read no note's text: DELETE ... WHERE case_id = ANY(...) needs only the case_id column, which
-- migration 016 lets it read.
GRANT DELETE ON case_notes TO ot_worker;
