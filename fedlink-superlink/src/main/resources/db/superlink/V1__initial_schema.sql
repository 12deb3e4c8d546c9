-- SuperLink state: nodes, runs, tasks, results, blobs and relayed envelopes.
CREATE TABLE node (
  node_id       INTEGER PRIMARY KEY,
  identity_hash TEXT    NOT NULL UNIQUE,
  fingerprint   TEXT    NOT NULL,
  created_ms    INTEGER NOT NULL,
  last_seen_ms  INTEGER NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE run (
  run_id     TEXT    PRIMARY KEY,
  config     BLOB    NOT NULL,
  created_ms INTEGER NOT NULL,
  stopped    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE task (
  task_id       TEXT    PRIMARY KEY,
  run_id        TEXT    NOT NULL REFERENCES run (run_id),
  node_id       INTEGER NOT NULL,
  model_blob_id TEXT,
  body          BLOB    NOT NULL,
  delivered     INTEGER NOT NULL DEFAULT 0,
  created_ms    INTEGER NOT NULL
);
CREATE INDEX task_by_node ON task (node_id);
CREATE INDEX task_by_blob ON task (model_blob_id);

CREATE TABLE result (
  task_id    TEXT    PRIMARY KEY REFERENCES task (task_id),
  run_id     TEXT    NOT NULL,
  node_id    INTEGER NOT NULL,
  blob_id    TEXT,
  body       BLOB    NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX result_by_run ON result (run_id);

CREATE TABLE blob (
  blob_id    TEXT    PRIMARY KEY,
  owner      INTEGER NOT NULL,
  size       INTEGER NOT NULL,
  sha256     BLOB    NOT NULL,
  created_ms INTEGER NOT NULL
);

CREATE TABLE envelope (
  envelope_id TEXT    PRIMARY KEY,
  run_id      TEXT    NOT NULL,
  to_node_id  INTEGER NOT NULL,
  body        BLOB    NOT NULL,
  delivered   INTEGER NOT NULL DEFAULT 0,
  created_ms  INTEGER NOT NULL
);
CREATE INDEX envelope_by_recipient ON envelope (to_node_id, delivered);
