-- The schedule's version: bumped by every statement that adds, removes or
-- changes flights (not by seat counts), so that a running flight-service can
-- tell in one cheap read that its search timetable is out of date and
-- rebuild it (docs/operations.md "Loading a schedule").
CREATE TABLE schedule_version (
    id          BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (id),
    version     BIGINT      NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO schedule_version (version) VALUES (1);

CREATE FUNCTION bump_schedule_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE schedule_version SET version = version + 1, changed_at = now();
    RETURN NULL;
END
$$;

-- Statement-level: one bump per INSERT/DELETE/TRUNCATE/UPDATE statement, not
-- per row. The seat columns (booked_seats, held_seats, updated_at) are left
-- out of UPDATE OF: selling a seat does not change the schedule.
CREATE TRIGGER flights_schedule_changed
    AFTER INSERT OR DELETE OR TRUNCATE ON flights
    FOR EACH STATEMENT EXECUTE FUNCTION bump_schedule_version();
CREATE TRIGGER flights_schedule_updated
    AFTER UPDATE OF id, flight_number, source, destination, departure_time, arrival_time,
                    total_seats, price ON flights
    FOR EACH STATEMENT EXECUTE FUNCTION bump_schedule_version();
