-- Seat accounting (SPEC §5). flights.booked_seats stays the one number that
-- counts every held or sold seat; held_seats says how many of them are only
-- held. A reservation is a hold on one or more flights, keyed by the caller's
-- reservation id, and moves through held → confirmed → cancelled, or
-- held → released | expired (docs/seats.md).
ALTER TABLE flights
    ADD COLUMN held_seats INTEGER NOT NULL DEFAULT 0,
    ADD CONSTRAINT flights_held_within_booked CHECK (held_seats >= 0 AND held_seats <= booked_seats);

CREATE TABLE seat_reservations (
    id          TEXT        PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,64}$'),
    state       TEXT        NOT NULL
                CHECK (state IN ('held', 'confirmed', 'released', 'expired', 'cancelled')),
    expires_at  TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The sweeper's work list: held reservations by expiry.
CREATE INDEX seat_reservations_held_expiry ON seat_reservations (expires_at) WHERE state = 'held';

CREATE TABLE seat_reservation_legs (
    reservation_id  TEXT    NOT NULL REFERENCES seat_reservations (id) ON DELETE CASCADE,
    flight_id       BIGINT  NOT NULL REFERENCES flights (id),
    seats           INTEGER NOT NULL CHECK (seats > 0),
    PRIMARY KEY (reservation_id, flight_id)
);

CREATE INDEX seat_reservation_legs_flight ON seat_reservation_legs (flight_id);
