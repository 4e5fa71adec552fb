-- A re-import looks up each known person's first staged case input by case id.
CREATE INDEX import_rows_case ON import_rows (case_id);
