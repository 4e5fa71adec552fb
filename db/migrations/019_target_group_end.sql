-- When a youth at the age limit leaves the target group (schemas/cohort-policy.ts, TARGET_GROUP_ENDS): at the end of
-- the calendar year they turn it (Opplæringslova § 9-4, 'calendarYear') or at the end of the school year ('schoolYear').
-- NULL: the default of the cohort's school year, until its first import fixes it (db/cohort-policy.ts).
ALTER TABLE cohorts ADD COLUMN target_group_end text CHECK (target_group_end IN ('calendarYear', 'schoolYear'));

-- The cohorts imported before: their cases were started under the whole-school-year rule and have no age-out timer.
UPDATE cohorts SET target_group_end = 'schoolYear' WHERE EXISTS (SELECT 1 FROM persons p WHERE p.school_year = cohorts.school_year);

-- The import (the worker) fixes the policy it applied; nothing else of a cohort row is the worker's to change.
GRANT UPDATE (target_group_end) ON cohorts TO ot_worker;
