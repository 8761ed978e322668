-- What the collector stores to find a GitOps deployment's application revision without asking
-- upstream while it projects (docs/metrics.md, "GitOps repositories and promotion").

-- The images a rollout ran (Argo CD's status.summary.images, Flux's applied workloads), as
-- references (registry/repository:tag[@digest]). Recorded on the attempt that was live when a
-- poll or notification saw them; NULL when no source said.
ALTER TABLE deployment_attempts ADD COLUMN images text[] NULL;

-- The git tags of application repositories: a version image tag (v1.4.2) names the commit of
-- the git tag of that name. Read from GitHub's GraphQL refs(refPrefix: "refs/tags/"); an
-- annotated tag is peeled to its commit.
CREATE TABLE git_tags (
    repository_id integer NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    name          text    NOT NULL,  -- without refs/tags/
    commit_sha    text    COLLATE "C" NOT NULL,
    PRIMARY KEY (repository_id, name)
);

-- When a repository's tags were last read and which tags were asked for and not found, so a tag
-- that does not exist (yet) is not asked for on every pass.
CREATE TABLE git_tag_reads (
    repository_id integer     NOT NULL PRIMARY KEY REFERENCES repositories (id) ON DELETE CASCADE,
    read_at       timestamptz NOT NULL,
    missing       text[]      NOT NULL DEFAULT '{}'
);

-- A synced revision of a GitOps repository, read once (a commit does not change): what the
-- messages of the commits it brings name, and the image tags their diff sets, against the
-- revision synced before it (or its parent).
CREATE TABLE gitops_revisions (
    repository_id  integer     NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    sha            text        COLLATE "C" NOT NULL,
    base_sha       text        NULL,      -- what it was compared with; NULL: the commit alone
    source_commits jsonb       NOT NULL,  -- [{repository, sha}] named by the messages, newest commit first
    message_images jsonb       NOT NULL,  -- [{image, oldTag, newTag}] named by the messages
    diff_images    jsonb       NOT NULL,  -- [{image, oldTag, newTag}] set by the diff
    read_at        timestamptz NOT NULL,
    PRIMARY KEY (repository_id, sha)
);
