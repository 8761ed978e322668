-- Webhook bodies are stored byte for byte and most are JSON of several kilobytes, which
-- PostgreSQL compresses as it stores them. lz4 compresses and decompresses them several times
-- faster than the default pglz, at about the same size, and every delivery's acknowledgement
-- waits for its body to be stored (docs/benchmarks.md, "Ingest latency against the machine's
-- limits"). Only bodies stored from now on use it; older ones stay as they are, readable alike.
-- A server built without lz4 (PostgreSQL 14 and later are built with it on every common
-- platform and managed service) keeps pglz: the collector works the same, only slower to store.
-- The statement runs through EXECUTE so that a server before 14, which does not know the
-- syntax, refuses it when it runs (caught below), not when the block is compiled.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE raw_event_bodies ALTER COLUMN body SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
    RAISE NOTICE 'raw_event_bodies.body keeps the server''s default compression: %', SQLERRM;
END $$;
