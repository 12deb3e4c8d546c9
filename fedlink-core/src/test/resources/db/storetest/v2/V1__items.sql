-- Test schema, version 1: one table of named items.
CREATE TABLE item (
  name  TEXT    PRIMARY KEY,
  count INTEGER NOT NULL
);
