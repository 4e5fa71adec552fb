-- The console's letters page (issue 13) reads, for office staff, the unit's confirmed letter mailings and how far
-- telling their cases has come, and the letters held back: the API only reads them; the worker keeps writing them.
GRANT SELECT ON mailings, mailing_cases, held_letters TO ot_api;
