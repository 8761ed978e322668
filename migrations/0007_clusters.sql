-- One environment can run on several clusters. An attempt says where it ran and a signal where
-- it was seen (empty: the source names no cluster, one implicit cluster, as every row before).
-- A deployment is still one revision reaching one environment: its attempts on every cluster
-- link to it, and a failed one names the cluster its failure was seen on.
ALTER TABLE deployment_attempts ADD COLUMN cluster text NOT NULL DEFAULT '';

ALTER TABLE incident_signals ADD COLUMN cluster text NOT NULL DEFAULT '';

ALTER TABLE deployments ADD COLUMN failure_cluster text NULL;  -- the cluster it failed, was rolled back or had its incident on

ALTER TABLE incidents ADD COLUMN cluster text NULL;  -- the cluster its signals name, when they name one

-- Argo CD attempts stored before name their cluster as the mapper now does without
-- Dora:ArgoCd:ClusterNames: the destination of the Application they were mapped from (name,
-- else server). Otherwise the history entries Argo CD has since dropped would stay on the
-- implicit cluster while the entries it still lists move to the named one, and the first of
-- those would lose the deployment it replaced. A body that is not JSON jsonb can hold leaves
-- its attempts as they are.
DO $$
DECLARE
    event record;
    app jsonb;
BEGIN
    FOR event IN SELECT DISTINCT raw_event_id AS id FROM deployment_attempts WHERE source = 'argocd' AND raw_event_id IS NOT NULL LOOP
        BEGIN
            SELECT convert_from(body, 'UTF8')::jsonb INTO app FROM raw_event_bodies WHERE raw_event_id = event.id;
        EXCEPTION WHEN others THEN
            app := NULL;
        END;

        IF jsonb_typeof(app -> 'spec' -> 'destination') = 'object' THEN
            UPDATE deployment_attempts
               SET cluster = COALESCE(NULLIF(app -> 'spec' -> 'destination' ->> 'name', ''),
                                      rtrim(app -> 'spec' -> 'destination' ->> 'server', '/'), '')
             WHERE source = 'argocd' AND raw_event_id = event.id;
        END IF;
    END LOOP;
END
$$;
