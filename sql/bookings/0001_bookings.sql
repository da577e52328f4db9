-- The bookings database: owned by the booking service.
CREATE TABLE bookings (
    id              BIGSERIAL PRIMARY KEY,
    user_id         BIGINT        NOT NULL,
    flight_id       BIGINT        NOT NULL,          -- first leg; all legs in booking_legs
    seats           INTEGER       NOT NULL CHECK (seats > 0),
    total_amount    NUMERIC(10,2) NOT NULL CHECK (total_amount >= 0),
    status          TEXT          NOT NULL
                    CHECK (status IN ('pending', 'confirmed', 'failed', 'expired', 'cancelled')),
    payment_id      TEXT,
    reservation_id  TEXT          NOT NULL UNIQUE,    -- the seat hold's idempotency key
    idempotency_key TEXT,
    request_hash    TEXT,
    hold_expires_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT bookings_confirmed_has_payment CHECK (status <> 'confirmed' OR payment_id IS NOT NULL)
);

CREATE UNIQUE INDEX bookings_user_idempotency_key
    ON bookings (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX bookings_user_created ON bookings (user_id, created_at DESC, id DESC);
CREATE INDEX bookings_pending ON bookings (hold_expires_at) WHERE status = 'pending';

-- The legs of a (possibly multi-leg) itinerary, booked all-or-nothing.
CREATE TABLE booking_legs (
    booking_id  BIGINT        NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    leg_no      SMALLINT      NOT NULL CHECK (leg_no BETWEEN 1 AND 4),
    flight_id   BIGINT        NOT NULL,
    price       NUMERIC(10,2) NOT NULL CHECK (price >= 0),
    PRIMARY KEY (booking_id, leg_no)
);

-- Every state transition, in order; written in the same transaction as the
-- compare-and-set on bookings.status.
CREATE TABLE booking_status_history (
    id          BIGSERIAL PRIMARY KEY,
    booking_id  BIGINT      NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    from_status TEXT,
    to_status   TEXT        NOT NULL,
    reason      TEXT        NOT NULL DEFAULT '',
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX booking_status_history_booking ON booking_status_history (booking_id, id);
