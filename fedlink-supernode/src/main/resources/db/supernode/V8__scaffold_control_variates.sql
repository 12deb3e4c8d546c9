-- SCAFFOLD: this node's control variate per run, after each round it trained in. A round redone
-- (after the researcher restarted) starts again from the variate of the round before it.
CREATE TABLE scaffold_variate (
    run_id     TEXT    NOT NULL,
    round      INTEGER NOT NULL,
    variate    BLOB    NOT NULL,   -- ParametersCodec bytes, the layout of the run's model
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (run_id, round)
);
