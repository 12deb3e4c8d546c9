-- SCAFFOLD: a node's control variate per run, after each round it trained in. A round redone
-- (after the researcher restarted) starts again from the variate of the round before it. Keyed by
-- node id too: virtual nodes of a simulation share one database.
CREATE TABLE scaffold_variate (
    node_id    INTEGER NOT NULL,
    run_id     TEXT    NOT NULL,
    round      INTEGER NOT NULL,
    variate    BLOB    NOT NULL,   -- ParametersCodec bytes, the layout of the run's model
    updated_ms INTEGER NOT NULL,
    PRIMARY KEY (node_id, run_id, round)
);
