-- GitOps: the revision Argo CD or Flux synced (deployment_attempts.revision / repository_id) is
-- the *configuration* revision, a commit of the repository the manifests live in. When the
-- manifests live apart from the code, the *application* revision, the commit of the service's own
-- repository that the running image was built from, is another commit of another repository.
-- Changes, lead time and rollbacks come from the application revision (docs/metrics.md, "GitOps
-- repositories and promotion").
--
-- On an attempt: the application revision a source linked explicitly (the generic API's
-- applicationRevision, an Argo CD notification field, a Flux event metadata key, a GitHub
-- deployment), with the method it was found by; NULL when the source named none and the
-- projection resolves it.
ALTER TABLE deployment_attempts ADD COLUMN application_revision text NULL;
ALTER TABLE deployment_attempts ADD COLUMN application_repository_id integer NULL REFERENCES repositories (id) ON DELETE SET NULL;
ALTER TABLE deployment_attempts ADD COLUMN resolution text NULL;
ALTER TABLE deployment_attempts ADD CONSTRAINT ck_deployment_attempts_resolution
    CHECK (resolution IN ('explicit', 'image-tag', 'version-tag', 'commit-trailer', 'commit-diff'));

-- On a deployment: the application revision the projection decided, and how. same-repository:
-- the synced revision is the application's commit (manifests beside the code, every deployment
-- before GitOps repositories were told apart); unresolved: no method found it, so the deployment
-- counts for frequency and failure rate but brings no changes.
ALTER TABLE deployments ADD COLUMN application_revision text NULL;
ALTER TABLE deployments ADD COLUMN application_repository_id integer NULL REFERENCES repositories (id) ON DELETE SET NULL;
ALTER TABLE deployments ADD COLUMN resolution text NOT NULL DEFAULT 'same-repository';
ALTER TABLE deployments ADD CONSTRAINT ck_deployments_resolution
    CHECK (resolution IN ('same-repository', 'explicit', 'image-tag', 'version-tag', 'commit-trailer', 'commit-diff', 'unresolved'));

-- Every deployment projected before was a same-repository one: its application revision is the
-- revision it synced, and its numbers stay as they are.
UPDATE deployments SET application_revision = revision, application_repository_id = repository_id;

-- A deployment that synced a repository other than its service's (a GitOps repository) is now
-- told apart: every service is projected again once, with its changes resolved again.
INSERT INTO projection_queue (service_id, queued_at, resolve_changes)
SELECT id, now(), true FROM services
ON CONFLICT (service_id) DO UPDATE SET resolve_changes = true;

-- A change's deployments to every environment of its service, found by its key: promotion time
-- (first non-production deployment → production deployment) in the read API and reports.
CREATE INDEX ix_deployment_changes_change_key ON deployment_changes (change_key) WHERE is_first;
