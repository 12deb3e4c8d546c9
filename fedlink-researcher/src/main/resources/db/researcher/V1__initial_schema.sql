-- Researcher state: the parties (SuperNodes) registered for secure-aggregation setup.
CREATE TABLE party (
  party_id        TEXT    PRIMARY KEY,
  certificate_pem TEXT    NOT NULL,
  ip              TEXT    NOT NULL,
  port            INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  not_after_ms    INTEGER NOT NULL,
  registered_ms   INTEGER NOT NULL
);
