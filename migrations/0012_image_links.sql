-- An image → commit link: a GitHub deployment created by the CI that built an image, whose sha
-- is the application's commit and whose payload names the image (docs/metrics.md, "GitOps
-- repositories and promotion"; docs/sources/github.md, "Deployments created by CI"). One row per
-- image reference the deployment names; the `deployment` webhook, a `deployment_status` delivery
-- and the poll of deployments write the same rows, so none counts twice. A GitOps rollout that
-- runs the image resolves its application revision to the link's commit (method explicit).
CREATE TABLE image_links (
    source        text        NOT NULL,           -- 'github'
    external_id   text        NOT NULL,           -- the deployment: owner/name/deployments/<id>
    reference     text        NOT NULL,           -- registry/repository[:tag][@digest], normalised
    repository_id integer     NOT NULL REFERENCES repositories (id) ON DELETE CASCADE,
    sha           text        COLLATE "C" NOT NULL,
    image         text        NOT NULL,           -- registry/repository, as the catalog lists images
    tag           text        NULL,
    digest        text        NULL,
    environment   text        NULL,
    created_at    timestamptz NOT NULL,
    raw_event_id  bigint      NULL REFERENCES raw_events (id) ON DELETE SET NULL,
    PRIMARY KEY (source, external_id, reference),
    CHECK (tag IS NOT NULL OR digest IS NOT NULL)
);

CREATE INDEX ix_image_links_tag ON image_links (repository_id, image, tag) WHERE tag IS NOT NULL;
CREATE INDEX ix_image_links_digest ON image_links (repository_id, image, digest) WHERE digest IS NOT NULL;
