-- The booking aggregate's state (issue 9, docs/bookings.md): the version every
-- compare-and-set checks, how the customer pays, the travel date, whether a
-- final booking's clean-up is done (settled), the first answer to the create
-- request (replayed for a repeated Idempotency-Key), and each leg as it was
-- when booked. 0001 is already applied on existing installs: this file only
-- extends it.
ALTER TABLE bookings
    ADD COLUMN version         BIGINT  NOT NULL DEFAULT 1,
    ADD COLUMN payment_type    TEXT    NOT NULL DEFAULT 'credit_card',
    ADD COLUMN travel_date     DATE,
    ADD COLUMN settled         BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN response_status INTEGER,
    ADD COLUMN response_body   TEXT;

-- Rows written before this migration get the values they would have had: the
-- travel date falls back to the creation day (the legs did not keep departure
-- times), a missing hold expiry to the creation time, a missing request hash
-- to ''. Their final bookings count as settled: whoever finished them also
-- gave their seats and money back, and the reconciler must not do it twice.
UPDATE bookings SET travel_date = (created_at AT TIME ZONE 'UTC')::date WHERE travel_date IS NULL;
UPDATE bookings SET hold_expires_at = created_at WHERE hold_expires_at IS NULL;
UPDATE bookings SET request_hash = '' WHERE request_hash IS NULL;
UPDATE bookings SET settled = true WHERE status IN ('failed', 'expired', 'cancelled');

ALTER TABLE bookings
    ALTER COLUMN travel_date SET NOT NULL,
    ALTER COLUMN hold_expires_at SET NOT NULL,
    ALTER COLUMN request_hash SET DEFAULT '',
    ALTER COLUMN request_hash SET NOT NULL,
    ADD CONSTRAINT bookings_version_positive CHECK (version >= 1),
    ADD CONSTRAINT bookings_payment_type
        CHECK (payment_type IN ('credit_card', 'debit_card', 'upi', 'net_banking')),
    ADD CONSTRAINT bookings_payment_id_not_empty CHECK (payment_id IS NULL OR payment_id <> ''),
    -- Pending and confirmed bookings owe no clean-up, so they are never settled.
    ADD CONSTRAINT bookings_settled_only_final
        CHECK (NOT settled OR status IN ('failed', 'expired', 'cancelled')),
    -- A stored answer is whole: a status and a body, or neither.
    ADD CONSTRAINT bookings_response_whole
        CHECK ((response_status IS NULL) = (response_body IS NULL)),
    ADD CONSTRAINT bookings_response_status CHECK (response_status BETWEEN 100 AND 599);

-- The reconciler's work lists, oldest update first: bookings still pending,
-- and final bookings whose seats or money are not back yet.
CREATE INDEX bookings_pending_updated ON bookings (updated_at, id) WHERE status = 'pending';
CREATE INDEX bookings_unsettled_updated ON bookings (updated_at, id)
    WHERE NOT settled AND status IN ('failed', 'expired', 'cancelled');

-- Each leg as it was when booked, so a booking reads without the flights
-- database. Legs written before this migration have no details to fill in;
-- NOT VALID leaves them alone and holds every leg written from now on.
ALTER TABLE booking_legs
    ADD COLUMN flight_number  TEXT,
    ADD COLUMN source         TEXT,
    ADD COLUMN destination    TEXT,
    ADD COLUMN departure_time TIMESTAMPTZ,
    ADD COLUMN arrival_time   TIMESTAMPTZ,
    ADD CONSTRAINT booking_legs_flight_positive CHECK (flight_id > 0),
    ADD CONSTRAINT booking_legs_details_present
        CHECK (flight_number IS NOT NULL AND source IS NOT NULL AND destination IS NOT NULL AND
               departure_time IS NOT NULL AND arrival_time IS NOT NULL) NOT VALID;

-- History rows name real statuses; only the creation row has no from_status.
ALTER TABLE booking_status_history
    ADD CONSTRAINT booking_status_history_statuses
        CHECK (to_status IN ('pending', 'confirmed', 'failed', 'expired', 'cancelled') AND
               (from_status IS NULL OR
                from_status IN ('pending', 'confirmed', 'failed', 'expired', 'cancelled')));
