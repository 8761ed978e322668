-- Bodies are kept byte for byte, apart from the inbox's state. jsonb could not hold what some
-- senders send (a string with \u0000 is refused, invalid UTF-8 was stored with replacement
-- characters), and every state change of a raw event rewrote its payload with it. A body is now
-- bytea in a table of its own, written once with its row; raw_events keeps the SHA-256 of it,
-- so a polled resource that is fetched again unchanged is still recognised as a repeat.
-- Bodies stored before this migration are their jsonb text (key order and spacing as jsonb keeps them).
CREATE TABLE raw_event_bodies (
    raw_event_id bigint NOT NULL PRIMARY KEY REFERENCES raw_events (id) ON DELETE CASCADE,
    body         bytea  NOT NULL
);

INSERT INTO raw_event_bodies (raw_event_id, body)
SELECT id, convert_to(payload::text, 'UTF8') FROM raw_events;

ALTER TABLE raw_events ADD COLUMN digest bytea;

UPDATE raw_events r SET digest = sha256(b.body) FROM raw_event_bodies b WHERE b.raw_event_id = r.id;

ALTER TABLE raw_events ALTER COLUMN digest SET NOT NULL, DROP COLUMN payload;
