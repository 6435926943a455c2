-- test/regress_setup.sql: the database the pg_regress suite runs in, made
-- the way users run dllb (scripts/test.sh runs this as the cluster's
-- superuser, then pg_regress connects as dllb_app).
--
--   dllb_admin    a superuser, for the few steps a test must do as one
--                 (\c - dllb_admin ... \c - dllb_app)
--   dllb_app      the application: an ordinary role that owns database
--                 dllb_regress, where a superuser ran only CREATE EXTENSION
--                 dllb; it keeps the default search_path ("$user", public)
--   dllb_hostile  another ordinary role that may create objects in public
--                 (as in every database made before PostgreSQL 15) and has
--                 planted operators and functions there that shadow the
--                 ones dllb's SQL uses, each with an argument type that a
--                 careless call would prefer; every call is logged in
--                 dllb_hostile.calls, and a call by a superuser makes
--                 dllb_hostile a superuser.  The harness fails the suite
--                 when either happened.

CREATE ROLE dllb_admin SUPERUSER LOGIN;
CREATE ROLE dllb_app LOGIN;
CREATE ROLE dllb_hostile LOGIN;
CREATE DATABASE dllb_regress OWNER dllb_app;
\c dllb_regress
CREATE EXTENSION dllb;
GRANT CREATE ON SCHEMA public TO dllb_hostile;
CREATE SCHEMA dllb_hostile AUTHORIZATION dllb_hostile;

\c - dllb_hostile
GRANT USAGE ON SCHEMA dllb_hostile TO PUBLIC;
CREATE TABLE dllb_hostile.calls (trap text, caller name, context text, at timestamptz DEFAULT now());
GRANT INSERT ON dllb_hostile.calls TO PUBLIC;

-- trap(name): log the call; escalate when the caller is a superuser
CREATE FUNCTION dllb_hostile.trap(name text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	ctx text;
BEGIN
	GET DIAGNOSTICS ctx = PG_CONTEXT;
	INSERT INTO dllb_hostile.calls (trap, caller, context) VALUES (name, current_user, current_query() || E'\n' || ctx);
	IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
		EXECUTE 'ALTER ROLE dllb_hostile SUPERUSER';
	END IF;
END $$;
GRANT EXECUTE ON FUNCTION dllb_hostile.trap(text) TO PUBLIC;

-- operators on dllb's types, as a schema ahead of pg_catalog would see them
CREATE FUNCTION public.record_eq_trap(dllb.record, dllb.record) RETURNS bool
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('=(record,record)'); RETURN $1::text = $2::text; END $$;
CREATE OPERATOR public.= (LEFTARG = dllb.record, RIGHTARG = dllb.record, FUNCTION = public.record_eq_trap);
CREATE FUNCTION public.record_ne_trap(dllb.record, dllb.record) RETURNS bool
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('<>(record,record)'); RETURN $1::text <> $2::text; END $$;
CREATE OPERATOR public.<> (LEFTARG = dllb.record, RIGHTARG = dllb.record, FUNCTION = public.record_ne_trap);
CREATE FUNCTION public.record_text_eq_trap(dllb.record, text) RETURNS bool
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('=(record,text)'); RETURN $1::text = $2; END $$;
CREATE OPERATOR public.= (LEFTARG = dllb.record, RIGHTARG = text, FUNCTION = public.record_text_eq_trap);
CREATE FUNCTION public.vector_l2_trap(dllb.vector, dllb.vector) RETURNS float8
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('<->(vector,vector)'); RETURN 0; END $$;
CREATE OPERATOR public.<-> (LEFTARG = dllb.vector, RIGHTARG = dllb.vector, FUNCTION = public.vector_l2_trap);
CREATE FUNCTION public.match_trap(text, dllb.bm25query) RETURNS bool
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('@@@(text,bm25query)'); RETURN true; END $$;
CREATE OPERATOR public.@@@ (LEFTARG = text, RIGHTARG = dllb.bm25query, FUNCTION = public.match_trap);
CREATE FUNCTION public.jsonb_text_trap(jsonb, text) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('->(jsonb,text)'); RETURN $1 OPERATOR(pg_catalog.->) $2; END $$;
CREATE OPERATOR public.-> (LEFTARG = jsonb, RIGHTARG = text, FUNCTION = public.jsonb_text_trap);
CREATE FUNCTION public.jsonb_concat_trap(jsonb, jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('||(jsonb,jsonb)'); RETURN $1 OPERATOR(pg_catalog.||) $2; END $$;
CREATE OPERATOR public.|| (LEFTARG = jsonb, RIGHTARG = jsonb, FUNCTION = public.jsonb_concat_trap);

-- functions whose pg_catalog versions are variadic or polymorphic, so a
-- plain-typed overload wins an unqualified call
CREATE FUNCTION public.jsonb_build_object(text, jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('jsonb_build_object(text,jsonb)'); RETURN pg_catalog.jsonb_build_object($1, $2); END $$;
CREATE FUNCTION public.jsonb_build_object(text, text) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('jsonb_build_object(text,text)'); RETURN pg_catalog.jsonb_build_object($1, $2); END $$;
CREATE FUNCTION public.jsonb_build_array(jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('jsonb_build_array(jsonb)'); RETURN pg_catalog.jsonb_build_array($1); END $$;
CREATE FUNCTION public.to_jsonb(text) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('to_jsonb(text)'); RETURN pg_catalog.to_jsonb($1); END $$;
CREATE FUNCTION public.to_jsonb(dllb.record) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('to_jsonb(record)'); RETURN pg_catalog.to_jsonb($1::text); END $$;
CREATE FUNCTION public.format(text, text) RETURNS text
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('format(text,text)'); RETURN pg_catalog.format($1, $2); END $$;
CREATE FUNCTION public.concat(text, text) RETURNS text
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('concat(text,text)'); RETURN pg_catalog.concat($1, $2); END $$;
CREATE FUNCTION public.array_position(dllb.record[], dllb.record) RETURNS int
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('array_position(record[],record)'); RETURN pg_catalog.array_position($1, $2); END $$;
CREATE FUNCTION public.cardinality(text[]) RETURNS int
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('cardinality(text[])'); RETURN pg_catalog.cardinality($1); END $$;
CREATE FUNCTION public.jsonb_agg_trap_sfunc(jsonb, jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('jsonb_agg(jsonb)'); RETURN coalesce($1, '[]') OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_array($2); END $$;
CREATE AGGREGATE public.jsonb_agg(jsonb) (SFUNC = public.jsonb_agg_trap_sfunc, STYPE = jsonb);
CREATE FUNCTION public.array_agg_trap_sfunc(dllb.record[], dllb.record) RETURNS dllb.record[]
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('array_agg(record)'); RETURN $1 OPERATOR(pg_catalog.||) $2; END $$;
CREATE AGGREGATE public.array_agg(dllb.record) (SFUNC = public.array_agg_trap_sfunc, STYPE = dllb.record[]);
CREATE FUNCTION public.text(dllb.record) RETURNS text
LANGUAGE plpgsql AS $$ BEGIN PERFORM dllb_hostile.trap('text(record)'); RETURN $1::text; END $$;

\c - dllb_app
