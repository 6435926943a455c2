-- demo/00_extension.sql - first of the demo files ./dllb run loads, in name
-- order, into database dllb.  Every demo file is idempotent: each run loads
-- them all again.  Each layer adds its part of the showcase (a store for
-- source code) as NN_<layer>.sql.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dllb;
RESET client_min_messages;

-- dllb's operators (record ids, vectors, ...) live in schema dllb: put it on
-- this database's search path so they work unqualified in new sessions.
DO $$
BEGIN
	EXECUTE format('ALTER DATABASE %I SET search_path = "$user", public, dllb',
				   current_database());
END $$;
SET search_path = "$user", public, dllb;
