-- A write to a repository's history (commits, a merged pull request) queues every service that
-- deploys from it, found by its catalog entry and by its deployment attempts: without this index
-- that was a scan of every attempt for each such write, 2.5 ms apiece in a first backfill of
-- 200 services, and growing with the history.
CREATE INDEX ix_deployment_attempts_repository ON deployment_attempts (repository_id, service_id);
