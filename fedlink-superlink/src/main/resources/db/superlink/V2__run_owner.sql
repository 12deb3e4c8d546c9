-- The researcher key that created a run (its SHA256: fingerprint). NULL for a run created on an
-- unauthenticated Control API, which every admitted caller may use.
ALTER TABLE run ADD COLUMN owner TEXT;

-- The Control API checks which runs a result blob belongs to before a researcher may read it.
CREATE INDEX result_by_blob ON result (blob_id);
