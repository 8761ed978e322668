-- Which services' domain rows changed, for the incremental snapshot: a projection records the
-- services it wrote with its own transaction id, one row per service, overwritten. A replica
-- that last read with the horizon xmin of its snapshot reads the rows of every transaction it
-- did not see then with touched_xid >= that horizon (an id below it belongs to a transaction
-- that had ended, so it was seen), whichever replica wrote them (docs/metrics.md, "The snapshot").
CREATE TABLE snapshot_touches (
    service_id  integer PRIMARY KEY,
    touched_xid xid8    NOT NULL
);
