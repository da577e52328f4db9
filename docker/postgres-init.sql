-- Runs once, when the postgres container creates its cluster (a new volume).
-- One database per service; docker/migrate.sh creates any that are missing
-- on an older volume and applies the migrations.
CREATE DATABASE flights OWNER flightbook;
CREATE DATABASE bookings OWNER flightbook;
CREATE DATABASE payments OWNER flightbook;
