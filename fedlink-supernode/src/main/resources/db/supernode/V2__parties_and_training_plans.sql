-- Parties registered for secure-aggregation setup, and training plans with their approval status.
CREATE TABLE party (
  party_id        TEXT    PRIMARY KEY,
  certificate_pem TEXT    NOT NULL,
  ip              TEXT    NOT NULL,
  port            INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  not_after_ms    INTEGER NOT NULL,
  registered_ms   INTEGER NOT NULL
);

-- One row per (plan hash, hashing algorithm): the same JAR hashed with another algorithm is
-- another row, so changing [security] hashing_algorithm never matches an old approval by accident.
CREATE TABLE training_plan (
  plan_id       INTEGER PRIMARY KEY AUTOINCREMENT,
  hash          TEXT    NOT NULL,
  algorithm     TEXT    NOT NULL,
  name          TEXT    NOT NULL,
  class_name    TEXT    NOT NULL,
  status        TEXT    NOT NULL CHECK (status IN ('Pending', 'Approved', 'Rejected')),
  researcher_id TEXT,
  notes         TEXT,
  jar_path      TEXT    NOT NULL,
  jar_sha256    TEXT    NOT NULL,
  created_ms    INTEGER NOT NULL,
  updated_ms    INTEGER NOT NULL,
  UNIQUE (hash, algorithm)
);
