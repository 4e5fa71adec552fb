-- The youth's access request (issue 14, GDPR Art. 15): `ot person export` and POST /persons/export, which run
-- as the API's role, read everything held about one person. Two tables it needs were the worker's alone:
--   import_rows: which transfer file and line the person came from, and what the case started with (Art. 15(1)(g),
--     the source of the data); of imports only the file's name and date, never its content (the national ids
--     it holds until the worker has read it).
--   report_snapshot_cases: the status code reported to UDIR for the case at each report moment.
GRANT SELECT ON import_rows, report_snapshot_cases TO ot_api;
GRANT SELECT (import_id, school_year, file_name, created_at) ON imports TO ot_api;

-- Every case of one person, across school years, is found by the national id (one persons row per school year).
CREATE INDEX persons_national_id ON persons (national_id);
