-- pgbench custom script: the upper bound of a booking on this machine — one
-- PostgreSQL transaction that takes a seat on a flight (the same guarded
-- UPDATE the seat adapter runs) and records the sale.
\set fid random(1, :flights)
BEGIN;
UPDATE flights SET booked_seats = booked_seats + 1
 WHERE id = :fid AND booked_seats + 1 <= total_seats;
INSERT INTO bench_sales (flight_id, seats) VALUES (:fid, 1);
END;
