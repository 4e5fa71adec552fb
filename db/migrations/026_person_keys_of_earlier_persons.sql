-- Persons stored before migration 020 have no person key. It is an HMAC under the case-id key, a secret the database
-- never holds, so no SQL can compute it: the import (the worker, which has the key) gives one to each person of the school
-- year it imports and of the year before that still lacks it (fillPersonKeys in db/persons.ts), before it looks for last
-- year's youth. The worker may set that column and no other of a person.
GRANT UPDATE (person_key) ON persons TO ot_worker;
-- Where the import looks for them: once every person has a key, the index is empty.
CREATE INDEX persons_without_person_key ON persons (school_year) WHERE person_key IS NULL;
