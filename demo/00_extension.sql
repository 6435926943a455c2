-- demo/00_extension.sql - first of the demo files ./dllb run loads, in name
-- order, into database dllb, once: when it creates the extension there (a
-- later run keeps your changes).  Each layer adds its part of the showcase
-- (a store for source code) as NN_<layer>.sql.  Nothing needs dllb on the
-- search_path: its operators live in pg_catalog, and everything else is
-- written dllb.name.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dllb;
RESET client_min_messages;
