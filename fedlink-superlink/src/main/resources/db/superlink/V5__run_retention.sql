-- Retention removes a stopped run retention_days after run.stopped_ms (added by V4). Runs stopped
-- before stop times were recorded count as stopped at this upgrade: they are kept for a full
-- retention period from then.
UPDATE run SET stopped_ms = CAST(strftime('%s', 'now') AS INTEGER) * 1000
  WHERE stopped = 1 AND stopped_ms IS NULL;
CREATE INDEX run_by_stopped ON run (stopped, stopped_ms);

-- Retention deletes a run's rows by run id.
CREATE INDEX task_by_run ON task (run_id);
CREATE INDEX envelope_by_run ON envelope (run_id);
