-- The flights database: owned by the flight service.
-- Times are TIMESTAMPTZ (stored as UTC); money is NUMERIC(10,2).
CREATE TABLE flights (
    id              BIGSERIAL PRIMARY KEY,
    flight_number   VARCHAR(10)   NOT NULL,
    source          CHAR(3)       NOT NULL CHECK (source ~ '^[A-Z]{3}$'),
    destination     CHAR(3)       NOT NULL CHECK (destination ~ '^[A-Z]{3}$'),
    departure_time  TIMESTAMPTZ   NOT NULL,
    arrival_time    TIMESTAMPTZ   NOT NULL,
    total_seats     INTEGER       NOT NULL CHECK (total_seats > 0),
    -- Held + confirmed seats. The CHECK is the last line of defence against
    -- oversell: no code path can commit a row that breaks it.
    booked_seats    INTEGER       NOT NULL DEFAULT 0,
    price           NUMERIC(10,2) NOT NULL CHECK (price >= 0),
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT flights_route_distinct CHECK (source <> destination),
    CONSTRAINT flights_arrives_after_departure CHECK (arrival_time > departure_time),
    CONSTRAINT flights_booked_within_capacity CHECK (booked_seats >= 0 AND booked_seats <= total_seats),
    CONSTRAINT flights_number_departure_unique UNIQUE (flight_number, departure_time)
);

CREATE INDEX flights_source_departure ON flights (source, departure_time);
CREATE INDEX flights_departure ON flights (departure_time);
