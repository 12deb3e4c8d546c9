-- Each finished round of a run as its researcher reported it (a RoundReport message), so that
-- `fedlink runs log` and `runs show` work from any machine, after the researcher is gone too.
-- Retention removes the rows with their run.
CREATE TABLE run_round (
  run_id      TEXT    NOT NULL,
  round       INTEGER NOT NULL,
  body        BLOB    NOT NULL,
  reported_ms INTEGER NOT NULL,
  PRIMARY KEY (run_id, round)
);
