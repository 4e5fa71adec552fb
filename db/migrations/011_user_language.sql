-- The console's language for each user (issue 13): Nynorsk, the seeds' language, unless they choose Bokmål.
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'nn' CHECK (language IN ('nn', 'nb'));
