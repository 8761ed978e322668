-- A Flux object's attempts on a cluster, whatever service and environment they were stored
-- under: a mapping batch reads the objects its events name in one statement and folds each
-- event onto them in memory (DomainWriter.Streams.cs).
CREATE INDEX ix_deployment_attempts_object ON deployment_attempts (source, cluster, (details ->> 'object'))
    WHERE details ? 'object';
