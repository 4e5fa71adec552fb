-- A counter of a step counts what the cases went through, not where they stand now (db/flow-counters.ts).
-- "OTUK without a mobile": the case was taken off the SMS list for want of a mobile, while still unknown after the
-- letter (its SMS fell due with none, or a call found the number wrong before the SMS went). Kept once set: a mobile
-- found later, a reply or the year end do not undo that the SMS step found none (db/cases.ts writeCaseRow sets it).
ALTER TABLE cases ADD COLUMN sms_without_mobile boolean NOT NULL DEFAULT false;

-- What the rows and the journal already say of it: cases whose SMS stands without a mobile, and cases that were in the
-- noMobile stage (a case on a call list without a mobile shows only in its sms column).
UPDATE cases c SET sms_without_mobile = true
WHERE c.sms = 'noMobile'
   OR EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.case_id AND (e.to_stage = 'noMobile' OR e.from_stage = 'noMobile'));
