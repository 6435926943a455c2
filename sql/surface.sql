--
-- Every object the extension owns, sorted.  A change here is a change of
-- the extension's SQL surface: it needs a matching doc change, and once a
-- release is out, an upgrade script.
--
SELECT object FROM (
  SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS object
  FROM pg_depend d
  JOIN pg_extension e ON e.oid = d.refobjid
  WHERE d.refclassid = 'pg_extension'::regclass
    AND d.deptype = 'e'
    AND e.extname = 'dllb'
) s
ORDER BY object COLLATE "C";
