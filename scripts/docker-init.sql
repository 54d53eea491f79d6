-- Runs once as the superuser when the pgvector container initialises its data directory.
CREATE EXTENSION IF NOT EXISTS vector;
\c template1
CREATE EXTENSION IF NOT EXISTS vector;
