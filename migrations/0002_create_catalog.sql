-- The catalog: what DORA is measured on. Services come from the configured catalog or are
-- discovered from the sources (one per Argo CD Application, Flux object or GitHub repository).
CREATE TABLE teams (
    id         integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_teams_name UNIQUE (name)
);

CREATE TABLE repositories (
    id             integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name      text        NOT NULL,  -- owner/name, lower case
    default_branch text        NULL,
    web_url        text        NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_repositories_full_name UNIQUE (full_name)
);

CREATE TABLE services (
    id            integer     GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL,
    team_id       integer     NULL REFERENCES teams (id) ON DELETE SET NULL,
    repository_id integer     NULL REFERENCES repositories (id) ON DELETE SET NULL,
    path          text        NULL,  -- folder inside a monorepo that scopes this service's changes
    origin        text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT uq_services_name UNIQUE (name),
    CONSTRAINT ck_services_origin CHECK (origin IN ('catalog', 'discovered'))
);

CREATE INDEX ix_services_team ON services (team_id);
CREATE INDEX ix_services_repository ON services (repository_id);

-- How the sources name a service: an Argo CD application, a Flux object, an alert label value.
CREATE TABLE service_aliases (
    kind       text    NOT NULL,  -- argocd_application | flux_object | alert_label | github_repository
    value      text    NOT NULL,
    service_id integer NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, value)
);

CREATE INDEX ix_service_aliases_service ON service_aliases (service_id);
