-- What a node admin reads before deciding on a training plan, beyond its hash: the fingerprint of
-- the key the SuperLink authenticated the requesting researcher with, and the source files the
-- researcher sent with the request. The sources are what the researcher claims; what runs is the
-- hashed JAR.
ALTER TABLE training_plan ADD COLUMN researcher_key TEXT;

CREATE TABLE training_plan_source (
  plan_id INTEGER NOT NULL REFERENCES training_plan (plan_id) ON DELETE CASCADE,
  path    TEXT    NOT NULL,
  content TEXT    NOT NULL,
  PRIMARY KEY (plan_id, path)
);
