-- What each scheduled digest sent, per period and receiver: a row is claimed before sending, so
-- of several replicas (or a restarted one) only one sends a digest for a period, and the record
-- says when it went out or why it did not. The receiver is named by kind (and recipient for
-- e-mail), never by its URL: webhook URLs are secrets.
CREATE TABLE digest_deliveries (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    digest      text        NOT NULL,
    period      text        NOT NULL,
    target      text        NOT NULL,
    state       text        NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text,
    claimed_at  timestamptz NOT NULL,
    claimed_by  text        NOT NULL,
    sent_at     timestamptz,
    UNIQUE (digest, period, target)
);
