-- Node-authentication keys the SuperLink derived (ECDH + HKDF with a listed key), sealed with
-- AES-256-GCM under a key only the SuperLink's private key yields (KeySeal), so a restart restores
-- them instead of running one key agreement per node again. Never the key in clear. Rows are
-- per SuperLink key (owner): a new SuperLink key leaves the old rows unopenable, and they go at the
-- next start, with the rows of keys no longer listed.
CREATE TABLE sealed_shared_key (
  owner       TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  sealed      BLOB NOT NULL,
  PRIMARY KEY (owner, fingerprint)
);
