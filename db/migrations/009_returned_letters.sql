-- Each printed letter registered as returned, once: the key is the letter (the youth's letter of one round), so
-- two staff registering the same returned letter at once, or one registering it twice, count one return. The next
-- return to count is that of the letter printed after it (sent again to another address).
CREATE TABLE returned_letters (
  case_id       text NOT NULL,
  round         integer NOT NULL,
  recipient     text NOT NULL DEFAULT 'youth' CHECK (recipient = 'youth'),
  -- NULL for returns registered before this table whose journal entry is not found.
  registered_by text,
  registered_at timestamptz,
  PRIMARY KEY (case_id, round),
  FOREIGN KEY (case_id, round, recipient) REFERENCES letters (case_id, round, recipient)
);

-- The returns registered before: a case's first letter_returns letters came back, the n-th return journaled
-- being that of round n - 1.
INSERT INTO returned_letters (case_id, round, registered_by, registered_at)
SELECT l.case_id, l.round, e.by_user, e.at
FROM cases c
JOIN letters l ON l.case_id = c.case_id AND l.recipient = 'youth' AND l.round < c.letter_returns
LEFT JOIN (
  SELECT case_id, by_user, at, row_number() OVER (PARTITION BY case_id ORDER BY seq) - 1 AS round
  FROM case_events WHERE event = 'LETTER_RETURNED'
) e ON e.case_id = l.case_id AND e.round = l.round;

-- Registered by the API and the CLI alone (least privilege, migration 008): read and added, never changed.
REVOKE ALL ON returned_letters FROM ot_worker, ot_api;
GRANT SELECT, INSERT ON returned_letters TO ot_api;
