-- A deployment's links to the one it replaced and to the one that rolled it back reference
-- deployments, and a signal references the incident it is part of. Removing a deployment or an
-- incident (a projection that no longer derives it, a recompute, a service deleted) makes
-- PostgreSQL find the rows that link to it, and without an index that was a scan of the whole
-- table for each row removed: removing 240 of 60,000 rows linked this way took 2.0 s, and 3 ms
-- with these indexes (PostgreSQL 15, this project's test machine).
CREATE INDEX ix_deployments_previous ON deployments (previous_deployment_id) WHERE previous_deployment_id IS NOT NULL;
CREATE INDEX ix_deployments_rolled_back_by ON deployments (rolled_back_by_id) WHERE rolled_back_by_id IS NOT NULL;
CREATE INDEX ix_incident_signals_incident ON incident_signals (incident_id) WHERE incident_id IS NOT NULL;
