-- GitOps folders: a GitOps repository usually holds several environments' (and services')
-- manifests, one folder each, and the revision Argo CD or Flux synced brings the commits of all
-- of them. The application revision a sync rolls out is read only from the commits and files
-- under the folder it deploys (docs/metrics.md, "GitOps repositories and promotion").

-- The folder of the configuration repository an attempt deployed, as the source named it
-- (Argo CD's spec.source.path, Flux's Kustomization spec.path or the sourcePath event metadata
-- key), normalised: no leading "./" or "/", no trailing "/". NULL: not known, or the whole
-- repository.
ALTER TABLE deployment_attempts ADD COLUMN source_path text NULL;

-- A synced GitOps revision is now read once per folder that deployed it: what the commits that
-- touch the folder name, and the tags the diff of its files sets. '' is the whole repository (an
-- attempt without a folder), read as before.
ALTER TABLE gitops_revisions ADD COLUMN folder text NOT NULL DEFAULT '';
ALTER TABLE gitops_revisions DROP CONSTRAINT gitops_revisions_pkey;
ALTER TABLE gitops_revisions ADD PRIMARY KEY (repository_id, sha, folder);
