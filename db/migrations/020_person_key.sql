-- The person across school years: an HMAC of the national id alone under the case-id key (domain/case-id.ts,
-- personKeyOf), never the id itself. Next year's import finds last year's case of the same youth by it
-- (db/carry-over.ts). NULL for persons stored before it was known: they are found by no later import.
ALTER TABLE persons ADD COLUMN person_key text;
CREATE INDEX persons_person_key ON persons (person_key, school_year) WHERE person_key IS NOT NULL;
