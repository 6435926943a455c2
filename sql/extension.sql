--
-- The extension's lifecycle: version handshake, schema, drop and re-create.
-- (A superuser created the extension in this database before the suite;
-- the suite runs as the ordinary role dllb_app.)
--

-- Only a superuser installs dllb (it is not a trusted extension).
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;
DROP EXTENSION dllb;

-- The library and the install script come from the same build.
SELECT dllb.version() = extversion AS library_matches_script
FROM pg_extension WHERE extname = 'dllb';

-- Its objects live in schema dllb, a member of the extension, and the
-- extension is not relocatable.
SELECT e.extrelocatable,
       pg_describe_object(d.classid, d.objid, 0) AS member
FROM pg_extension e
JOIN pg_depend d ON d.refobjid = e.oid AND d.refclassid = 'pg_extension'::regclass
WHERE e.extname = 'dllb' AND d.classid = 'pg_namespace'::regclass;
-- The rest, as a superuser, in a database of its own.
\c - dllb_admin
CREATE DATABASE dllb_regress_extension;
\c dllb_regress_extension
CREATE EXTENSION dllb;
CREATE SCHEMA elsewhere;
ALTER EXTENSION dllb SET SCHEMA elsewhere;
DROP SCHEMA elsewhere;
-- A schema named dllb that the extension did not create is not taken over.
DROP EXTENSION dllb;
CREATE SCHEMA dllb;
CREATE EXTENSION dllb;
DROP SCHEMA dllb;
CREATE EXTENSION dllb;

-- DROP EXTENSION removes everything it created, the schema included.
DROP EXTENSION dllb;
SELECT count(*) AS dllb_schemas FROM pg_namespace WHERE nspname = 'dllb';
SELECT count(*) AS dllb_functions FROM pg_proc
WHERE probin LIKE '%dllb%' OR pronamespace::regnamespace::text = 'dllb';
SELECT count(*) AS dllb_types FROM pg_type WHERE typnamespace::regnamespace::text = 'dllb';
SELECT count(*) AS dllb_access_methods FROM pg_am WHERE amname LIKE 'dllb%';

-- ... and it can be created again.
CREATE EXTENSION dllb;
SELECT dllb.version() = extversion AS library_matches_script
FROM pg_extension WHERE extname = 'dllb';

\c dllb_regress dllb_admin
DROP DATABASE dllb_regress_extension;
\c - dllb_app
