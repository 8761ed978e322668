-- Source-neutral domain tables. Sources write commits, pull requests, deployment attempts and
-- incident signals; the projection derives deployments, deployment_changes and incidents from
-- them. Metric queries read only these tables, never raw_events.

-- Commits with their parents, so reachability between two revisions is computed in SQL.
CREATE TABLE commits (
    repository_id integer     NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    sha           text        COLLATE "C" NOT NULL,  -- lower-case hex; C collation lets abbreviated SHAs use the index
    parents       text[]      NOT NULL DEFAULT '{}',
    authored_at   timestamptz NOT NULL,
    committed_at  timestamptz NOT NULL,
    author        text        NULL,
    message       text        NULL,  -- first line only: enough to recognise `Revert "..."`
    paths         text[]      NULL,  -- files the commit touched; NULL while unknown
    PRIMARY KEY (repository_id, sha)
);

CREATE INDEX ix_commits_committed_at ON commits (repository_id, committed_at);

CREATE TABLE pull_requests (
    repository_id    integer     NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    number           integer     NOT NULL,
    title            text        NULL,
    url              text        NULL,
    author           text        NULL,
    base_branch      text        NULL,
    state            text        NOT NULL,
    opened_at        timestamptz NULL,
    merged_at        timestamptz NULL,
    closed_at        timestamptz NULL,
    merge_commit_sha text        NULL,  -- merge, squash or last rebased commit on the base branch
    first_commit_at  timestamptz NULL,  -- earliest authored time of the PR's own commits (survives squash)
    first_review_at  timestamptz NULL,
    labels           text[]      NOT NULL DEFAULT '{}',
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (repository_id, number),
    CONSTRAINT ck_pull_requests_state CHECK (state IN ('open', 'closed', 'merged'))
);

CREATE INDEX ix_pull_requests_merge_commit ON pull_requests (repository_id, merge_commit_sha)
    WHERE merge_commit_sha IS NOT NULL;
CREATE INDEX ix_pull_requests_merged_at ON pull_requests (merged_at) WHERE merged_at IS NOT NULL;

-- Which commits belong to a pull request: its own commits and the commits it landed as
-- (rebased copies), so a deployment's commits group into the pull requests that brought them.
CREATE TABLE pull_request_commits (
    repository_id       integer NOT NULL,
    pull_request_number integer NOT NULL,
    sha                 text    NOT NULL,
    PRIMARY KEY (repository_id, pull_request_number, sha),
    FOREIGN KEY (repository_id, pull_request_number)
        REFERENCES pull_requests (repository_id, number) ON DELETE CASCADE
);

CREATE INDEX ix_pull_request_commits_sha ON pull_request_commits (repository_id, sha);

-- Deployments: derived from attempts by the projection (collapse of retried attempts,
-- redeploys, rollbacks, failure classification).
CREATE TABLE deployments (
    id                     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key                    text        NOT NULL,  -- source:external_id of its first attempt; stable across projections
    service_id             integer     NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    environment            text        NOT NULL,
    repository_id          integer     NULL REFERENCES repositories (id) ON DELETE SET NULL,
    revision               text        NOT NULL,
    started_at             timestamptz NULL,
    finished_at            timestamptz NOT NULL,  -- finish of the attempt that decided the outcome
    outcome                text        NOT NULL,  -- success: went live; failure: never went live
    attempt_count          integer     NOT NULL,
    is_redeploy            boolean     NOT NULL,  -- the revision was already live: stored, never counted
    is_rollback            boolean     NOT NULL,
    is_failed              boolean     NOT NULL,  -- counts as a failed deployment (change failure rate)
    failure_reason         text        NULL,
    is_rework              boolean     NOT NULL,
    rework_reason          text        NULL,
    previous_deployment_id bigint      NULL REFERENCES deployments (id) ON DELETE SET NULL,
    rolled_back_by_id      bigint      NULL REFERENCES deployments (id) ON DELETE SET NULL,
    recovered_at           timestamptz NULL,  -- for failed deployments: end of failed deployment recovery time
    changes_state          text        NOT NULL,
    changes_base           text        NULL,  -- the previous revision the changes were resolved against
    CONSTRAINT uq_deployments_key UNIQUE (key),
    CONSTRAINT ck_deployments_outcome CHECK (outcome IN ('success', 'failure')),
    CONSTRAINT ck_deployments_failure_reason CHECK (failure_reason IN ('outcome', 'rolled_back', 'incident', 'hotfix', 'revert')),
    CONSTRAINT ck_deployments_rework_reason CHECK (rework_reason IN ('rollback', 'hotfix', 'revert', 'incident_fix')),
    CONSTRAINT ck_deployments_changes_state CHECK (changes_state IN ('resolved', 'explicit', 'head_only', 'none', 'pending'))
);

CREATE INDEX ix_deployments_stream ON deployments (service_id, environment, finished_at);
CREATE INDEX ix_deployments_finished_at ON deployments (finished_at);

-- What sources report: one rollout of a revision of a service to an environment.
CREATE TABLE deployment_attempts (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           text        NOT NULL,
    external_id      text        NOT NULL,  -- Argo CD app:history id, Flux event key, GitHub status id, posted id
    service_id       integer     NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    environment      text        NOT NULL,
    repository_id    integer     NULL REFERENCES repositories (id) ON DELETE SET NULL,
    revision         text        NOT NULL,
    outcome          text        NOT NULL,
    started_at       timestamptz NULL,
    finished_at      timestamptz NOT NULL,
    rollback_hint    boolean     NOT NULL DEFAULT false,  -- the source itself says this was a rollback
    explicit_commits text[]      NULL,  -- commits this attempt brings, when the source lists them
    details          jsonb       NULL,  -- source-specific context for people (application, message)
    raw_event_id     bigint      NULL REFERENCES raw_events (id) ON DELETE SET NULL,
    deployment_id    bigint      NULL REFERENCES deployments (id) ON DELETE SET NULL,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT uq_deployment_attempts_key UNIQUE (source, external_id),
    CONSTRAINT ck_deployment_attempts_outcome CHECK (outcome IN ('success', 'failure'))
);

CREATE INDEX ix_deployment_attempts_stream ON deployment_attempts (service_id, environment, finished_at);
CREATE INDEX ix_deployment_attempts_deployment ON deployment_attempts (deployment_id);

-- The changes a deployment carried: one row per pull request or direct commit.
CREATE TABLE deployment_changes (
    deployment_id       bigint      NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    change_key          text        NOT NULL,  -- pr:<repository id>:<number> or commit:<sha>
    repository_id       integer     NULL REFERENCES repositories (id) ON DELETE SET NULL,
    pull_request_number integer     NULL,
    head_sha            text        NOT NULL,  -- the PR's merge commit, or the direct commit
    title               text        NULL,
    commit_count        integer     NOT NULL,
    first_commit_at     timestamptz NOT NULL,  -- earliest authored time of the change's commits
    opened_at           timestamptz NULL,
    merged_at           timestamptz NULL,
    is_first            boolean     NOT NULL,  -- first successful deployment of this change to the environment
    is_hotfix           boolean     NOT NULL,
    is_revert           boolean     NOT NULL,
    PRIMARY KEY (deployment_id, change_key)
);

CREATE INDEX ix_deployment_changes_pull_request ON deployment_changes (repository_id, pull_request_number)
    WHERE pull_request_number IS NOT NULL;

-- Incidents: periods during which at least one qualifying signal is open for a service.
CREATE TABLE incidents (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key           text        NOT NULL,  -- source:external_id of its first signal; stable across projections
    service_id    integer     NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    environment   text        NOT NULL,
    title         text        NULL,
    severity      text        NULL,
    started_at    timestamptz NOT NULL,
    resolved_at   timestamptz NULL,
    signal_count  integer     NOT NULL,
    deployment_id bigint      NULL REFERENCES deployments (id) ON DELETE SET NULL,
    attribution   text        NOT NULL,
    CONSTRAINT uq_incidents_key UNIQUE (key),
    CONSTRAINT ck_incidents_attribution CHECK (attribution IN ('explicit', 'rule', 'none'))
);

CREATE INDEX ix_incidents_service ON incidents (service_id, started_at);
CREATE INDEX ix_incidents_resolved_at ON incidents (resolved_at);
CREATE INDEX ix_incidents_deployment ON incidents (deployment_id);

-- What sources report: an alert, an incident issue, a posted incident.
CREATE TABLE incident_signals (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source         text        NOT NULL,
    external_id    text        NOT NULL,  -- alertmanager fingerprint@startsAt, owner/repo#issue, posted id
    service_id     integer     NULL REFERENCES services (id) ON DELETE SET NULL,  -- NULL: no service matched
    service_hint   text        NULL,      -- what the source called the service, kept for unmatched signals
    environment    text        NULL,
    title          text        NULL,
    severity       text        NULL,
    url            text        NULL,
    started_at     timestamptz NOT NULL,
    resolved_at    timestamptz NULL,
    last_seen_at   timestamptz NULL,      -- last time the source reported it active
    closed_by      text        NULL,      -- source | reconciliation (vanished without a resolve)
    deployment_ref text        NULL,      -- explicit link: deployment id as posted or labelled
    revision_ref   text        NULL,      -- explicit link: deployed revision
    labels         jsonb       NULL,
    raw_event_id   bigint      NULL REFERENCES raw_events (id) ON DELETE SET NULL,
    incident_id    bigint      NULL REFERENCES incidents (id) ON DELETE SET NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT uq_incident_signals_key UNIQUE (source, external_id),
    CONSTRAINT ck_incident_signals_closed_by CHECK (closed_by IN ('source', 'reconciliation'))
);

CREATE INDEX ix_incident_signals_service ON incident_signals (service_id, started_at);
CREATE INDEX ix_incident_signals_unmatched ON incident_signals (started_at) WHERE service_id IS NULL;
CREATE INDEX ix_incident_signals_open ON incident_signals (source) WHERE resolved_at IS NULL;

-- Per source and scope, how far ingestion has got (a timestamp, a GraphQL cursor, a resourceVersion).
CREATE TABLE ingest_cursors (
    source          text        NOT NULL,
    scope           text        NOT NULL,
    position        text        NULL,
    etag            text        NULL,
    updated_at      timestamptz NOT NULL,
    last_success_at timestamptz NULL,
    last_error      text        NULL,
    PRIMARY KEY (source, scope)
);

-- Services whose derived rows must be projected again, written in the same transaction as the
-- facts that changed them so no change is lost if a replica stops in between.
CREATE TABLE projection_queue (
    service_id      integer     NOT NULL PRIMARY KEY REFERENCES services (id) ON DELETE CASCADE,
    queued_at       timestamptz NOT NULL,
    resolve_changes boolean     NOT NULL DEFAULT false  -- commits or pull requests changed: resolve changes again
);

-- Small named values the collector keeps about itself (data version, projection settings hash).
CREATE TABLE collector_state (
    key        text        NOT NULL PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL
);
