-- SuperNode state: its identity and the site's registered datasets.
CREATE TABLE node_property (
  name  TEXT PRIMARY KEY,
  value BLOB NOT NULL
);

CREATE TABLE dataset (
  name     TEXT    PRIMARY KEY,
  tags     TEXT    NOT NULL,
  path     TEXT    NOT NULL,
  format   TEXT    NOT NULL,
  rows     INTEGER NOT NULL,
  cols     INTEGER NOT NULL,
  added_ms INTEGER NOT NULL
);
