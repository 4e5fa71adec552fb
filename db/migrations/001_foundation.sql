-- Cohorts: one per school year, with the policy the import applied.
CREATE TABLE cohorts (
  school_year integer PRIMARY KEY,
  age_limit   integer NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- People: the personal data the workflows never carry (claim check by case_id).
CREATE TABLE persons (
  case_id         text PRIMARY KEY,
  school_year     integer NOT NULL REFERENCES cohorts(school_year),
  national_id     text NOT NULL,
  id_kind         text NOT NULL,
  birth_date      date,
  first_name      text NOT NULL,
  last_name       text NOT NULL,
  address         jsonb,
  partial_address jsonb,
  address2        jsonb,
  mobile          text,
  email           text,
  guardians       jsonb NOT NULL DEFAULT '[]',
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (school_year, national_id)
);

-- The read model: one row per case, written by its workflow. seq orders the writes.
CREATE TABLE cases (
  case_id     text PRIMARY KEY REFERENCES persons(case_id),
  school_year integer NOT NULL,
  unit        text NOT NULL,
  os_code     text NOT NULL,
  ot_status   text NOT NULL,
  stage       text NOT NULL,
  caseworker  text,
  flags       text[] NOT NULL DEFAULT '{}',
  seq         bigint NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_year_unit_status ON cases (school_year, unit, ot_status);

-- Imports: the uploaded file, what reading it gave, and each accepted row until its case is started.
CREATE TABLE imports (
  import_id   text PRIMARY KEY,
  school_year integer NOT NULL,
  file_name   text NOT NULL,
  content     text,
  strict      boolean NOT NULL,
  summary     jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_rows (
  import_id  text NOT NULL REFERENCES imports(import_id) ON DELETE CASCADE,
  line       integer NOT NULL,
  case_id    text NOT NULL REFERENCES persons(case_id),
  is_new     boolean NOT NULL,
  case_input jsonb NOT NULL,
  started    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (import_id, line)
);
CREATE INDEX import_rows_pending ON import_rows (import_id, line) WHERE NOT started;
