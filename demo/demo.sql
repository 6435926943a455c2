-- demo/demo.sql - loaded by ./dllb run into database dllb.  Idempotent:
-- every run may load it again.
--
-- Each layer adds its part of the showcase (a store for source code) here as
-- it lands; see doc/index.md.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS dllb;
RESET client_min_messages;
