-- The inbox in partitions, so that several replicas map at once: raw events of one lane are
-- mapped one batch at a time, oldest first; batches of different lanes run side by side. A
-- posted generic item is in the lane of its service's name (one of 64); webhook and polled
-- events have none: the shared partition, mapped alone, as every event was before.
ALTER TABLE raw_events ADD COLUMN lane integer NULL;

CREATE INDEX ix_raw_events_pending_lane ON raw_events (lane, id) WHERE state = 'pending';
