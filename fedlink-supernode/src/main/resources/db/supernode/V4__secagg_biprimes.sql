-- Joye-Libert biprimes registered by the node's admin (fedlink supernode biprime add).
CREATE TABLE secagg_biprime (
  fingerprint TEXT    PRIMARY KEY,
  bits        INTEGER NOT NULL,
  modulus_hex TEXT    NOT NULL,
  note        TEXT    NOT NULL,
  added_ms    INTEGER NOT NULL
);
