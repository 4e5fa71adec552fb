-- Who confirmed a mailing, by user id beside the name shown: the journal of each case in it names both.
ALTER TABLE mailings ADD COLUMN confirmed_by_user_id text;
