-- When a run was stopped (ms since the epoch), so retention can remove it retention_days later.
-- Runs stopped before this column existed count as stopped at the upgrade: they are kept for a
-- full retention period from then.
ALTER TABLE run ADD COLUMN stopped_ms INTEGER;
UPDATE run SET stopped_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000 WHERE stopped = 1;
CREATE INDEX run_by_stopped ON run (stopped, stopped_ms);

-- Retention deletes a run's rows by run id.
CREATE INDEX task_by_run ON task (run_id);
CREATE INDEX envelope_by_run ON envelope (run_id);
