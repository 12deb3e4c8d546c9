-- The component id from the node's configuration ([default] id, e.g. NODE_8bc2...), shown beside
-- the numeric node id; empty for a node started without a configuration.
ALTER TABLE node ADD COLUMN component_id TEXT NOT NULL DEFAULT '';
