-- Test schema, version 2: a later release adds a column the version-1 code does not know.
ALTER TABLE item ADD COLUMN note TEXT;
