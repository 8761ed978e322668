-- The inbox: every payload a source delivers or a poller fetches lands here verbatim before it is
-- mapped to domain rows. Re-mapping these rows rebuilds the domain tables without calling any
-- upstream (the `recompute` verb). A duplicate delivery hits the unique key and changes nothing.
CREATE TABLE raw_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       text        NOT NULL,  -- github | argocd | flux | alertmanager | generic | kubernetes
    kind         text        NOT NULL,  -- upstream event or resource type: push, deployment_status, application, alert, ...
    external_id  text        NOT NULL,  -- delivery id for webhooks, natural key for polled resources
    received_at  timestamptz NOT NULL,
    payload      jsonb       NOT NULL,
    state        text        NOT NULL DEFAULT 'pending',
    attempts     integer     NOT NULL DEFAULT 0,
    error        text        NULL,      -- why mapping failed, for state = 'failed'
    processed_at timestamptz NULL,
    CONSTRAINT uq_raw_events_key UNIQUE (source, kind, external_id),
    CONSTRAINT ck_raw_events_state CHECK (state IN ('pending', 'processed', 'failed', 'ignored'))
);

-- The mapping worker takes pending rows in arrival order.
CREATE INDEX ix_raw_events_pending ON raw_events (id) WHERE state = 'pending';
CREATE INDEX ix_raw_events_source_received ON raw_events (source, received_at);
