-- The payments database: owned by the payment service (SPEC §4). One row per
-- charge attempt, keyed by the caller's idempotency key: a retry finds the
-- row and answers the first outcome, so nothing is ever charged twice
-- (docs/payments.md).
CREATE TABLE payments (
    id              TEXT          PRIMARY KEY CHECK (id <> ''),
    -- Insertion order: breaks ties between payments of one booking made in
    -- the same second, so that "newest first" is a total order.
    seq             BIGINT        GENERATED ALWAYS AS IDENTITY UNIQUE,
    idempotency_key TEXT          NOT NULL UNIQUE
                    CHECK (length(idempotency_key) BETWEEN 1 AND 128),
    booking_id      BIGINT        NOT NULL CHECK (booking_id > 0),
    user_id         BIGINT        NOT NULL CHECK (user_id > 0),
    amount          NUMERIC(10,2) NOT NULL CHECK (amount > 0),
    payment_type    TEXT          NOT NULL
                    CHECK (payment_type IN ('credit_card', 'debit_card', 'upi', 'net_banking')),
    status          TEXT          NOT NULL
                    CHECK (status IN ('success', 'failed', 'timeout', 'refunded')),
    reason          TEXT          NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ   NOT NULL,
    refunded_at     TIMESTAMPTZ,
    CONSTRAINT payments_refunded_at_iff_refunded
        CHECK ((status = 'refunded') = (refunded_at IS NOT NULL))
);

-- Status lookups by booking (GET /api/payments?booking_id=), newest first.
CREATE INDEX payments_booking ON payments (booking_id, created_at DESC, seq DESC);
