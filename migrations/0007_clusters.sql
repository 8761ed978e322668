-- One environment can run on several clusters. An attempt says where it ran and a signal where
-- it was seen (empty: the source names no cluster, one implicit cluster, as every row before).
-- A deployment is still one revision reaching one environment: its attempts on every cluster
-- link to it, and a failed one names the cluster its failure was seen on.
ALTER TABLE deployment_attempts ADD COLUMN cluster text NOT NULL DEFAULT '';

ALTER TABLE incident_signals ADD COLUMN cluster text NOT NULL DEFAULT '';

ALTER TABLE deployments ADD COLUMN failure_cluster text NULL;  -- the cluster it failed, was rolled back or had its incident on

ALTER TABLE incidents ADD COLUMN cluster text NULL;  -- the cluster its signals name, when they name one
