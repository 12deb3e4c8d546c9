-- When a run was stopped (epoch ms) and why: a researcher resuming a run is told both.
ALTER TABLE run ADD COLUMN stopped_ms INTEGER;
ALTER TABLE run ADD COLUMN stop_reason TEXT;
