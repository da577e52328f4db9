-- Runs once when the postgres container creates its cluster.
CREATE DATABASE flights OWNER flightbook;
CREATE DATABASE bookings OWNER flightbook;
