-- DEFINE FIELD ... VALUE (set on every write), COMPUTED (evaluated by
-- every read), READONLY, DEFAULT ALWAYS; INFO FOR answering with the
-- DEFINE statements; OR and AND as values.

-- VALUE: $value is what the write gave, $this the record; OR gives the
-- first truthy operand
SELECT * FROM dllb.query($$DEFINE FIELD country ON fld_user VALUE $value OR 'NOR';
  DEFINE FIELD shout ON fld_user VALUE string::uppercase($this.name ?? '');
  CREATE fld_user:a SET name = 'ann';
  CREATE fld_user:b SET name = 'bo', country = 'SWE';
  UPDATE fld_user:b SET country = NONE;
  RETURN [0 OR 'x', 'a' OR 'b', 1 AND 0, 2 AND 3, NONE OR false]$$);

-- COMPUTED: not stored, evaluated when read (in rows, fields and WHERE)
SELECT * FROM dllb.query($$DEFINE FIELD born ON fld_p TYPE int;
  DEFINE FIELD adult ON fld_p COMPUTED 2025 - born >= 18;
  DEFINE FIELD twice ON fld_p COMPUTED $this.born * 2;
  CREATE fld_p:1 SET born = 2000;
  CREATE fld_p:2 SET born = 2015;
  SELECT id, adult FROM fld_p WHERE adult = true;
  UPDATE fld_p:2 SET born = 1990;
  SELECT VALUE twice FROM fld_p ORDER BY twice$$);
SELECT id, data FROM fld_p ORDER BY id;

-- a COMPUTED field may read other COMPUTED ones ($self like $this, and
-- $this["f"]), IF ... END and {...}.f are values; a cycle among them is
-- refused when it is defined
SELECT * FROM dllb.query($$DEFINE FIELD base ON fld_c COMPUTED 5;
  DEFINE FIELD dbl ON fld_c COMPUTED base * 2;
  DEFINE FIELD quad ON fld_c COMPUTED $self.dbl + $this["dbl"];
  DEFINE FIELD kind ON fld_c COMPUTED IF quad > 10 THEN 'big' ELSE 'small' END;
  DEFINE FIELD wrapped ON fld_c COMPUTED { v: quad }.v;
  CREATE fld_c:1$$);
SELECT * FROM dllb.query($$DEFINE FIELD OVERWRITE base ON fld_c COMPUTED quad - 1$$);
SELECT * FROM dllb.query($$DEFINE FIELD selfish ON fld_c COMPUTED $self.selfish + 1$$);
SELECT * FROM dllb.query($$DEFINE FIELD OVERWRITE dbl ON fld_c COMPUTED 7; SELECT dbl, quad FROM fld_c$$);

-- READONLY: set when created, never changed; DEFAULT ALWAYS: also when an
-- update leaves the field NONE
SELECT * FROM dllb.query($$DEFINE FIELD code ON fld_ro READONLY;
  DEFINE FIELD level ON fld_ro TYPE int DEFAULT ALWAYS 1;
  CREATE fld_ro:1 SET code = 'k';
  UPDATE fld_ro:1 SET note = 'kept', level = 5;
  UPDATE fld_ro:1 SET level = NONE$$);
SELECT * FROM dllb.query($$UPDATE fld_ro:1 SET code = 'other'$$);

-- INFO FOR TABLE and DB: the DEFINE statements as SurrealDB shows them
SELECT * FROM dllb.query($$DEFINE TABLE fld_e TYPE RELATION IN fld_p OUT fld_user | fld_ro;
  DEFINE INDEX by_born ON fld_p FIELDS born UNIQUE;
  DEFINE TABLE fld_v AS SELECT count() FROM fld_p GROUP ALL;
  INFO FOR TABLE fld_p; INFO FOR TB fld_e; INFO FOR TABLE fld_missing$$);
SELECT jsonb_pretty(result -> 'tables') FROM dllb.query($$INFO FOR DB$$);
-- PERMISSIONS are shown as written (grouped by what they allow), not
-- enforced; a type may hold unions inside <...>
SELECT * FROM dllb.query($$DEFINE TABLE fld_perm SCHEMAFUL PERMISSIONS FOR select, delete NONE, FOR create, update FULL;
  DEFINE FIELD a ON fld_perm TYPE array<option<int | string>> PERMISSIONS FOR select NONE, FOR create, update FULL;
  DEFINE FIELD b ON fld_perm TYPE record<fld_p | fld_ro> PERMISSIONS FOR select, create, update WHERE $auth.admin = true;
  INFO FOR TABLE fld_perm$$);
SELECT result -> 'tables' -> 'fld_perm' FROM dllb.query($$INFO FOR DB$$);
-- an edge's in and out may be defined as record fields (not checked)
SELECT result -> 'fields' FROM dllb.query($$DEFINE FIELD OVERWRITE in ON fld_e TYPE record<fld_ro>;
  DEFINE FIELD out ON fld_e2 TYPE record<fld_p>; INFO FOR TABLE fld_e; INFO FOR TABLE fld_e2$$);
-- REMOVE forgets them
SELECT * FROM dllb.query($$REMOVE INDEX by_born ON fld_p; REMOVE FIELD twice ON fld_p;
  INFO FOR TABLE fld_p$$);

SELECT * FROM dllb.query($$REMOVE TABLE fld_v; REMOVE TABLE fld_e; REMOVE TABLE fld_p;
  REMOVE TABLE fld_user; REMOVE TABLE fld_ro; REMOVE TABLE fld_perm; REMOVE TABLE fld_e2;
  REMOVE TABLE fld_c$$);

-- COMPUTED: not on id, not with ASSERT, and a COMPUTED field is not indexed
SELECT * FROM dllb.query($$DEFINE FIELD id ON cmp_x COMPUTED 1$$);
SELECT * FROM dllb.query($$DEFINE FIELD a ON cmp_x ASSERT $value > 0 COMPUTED 1$$);
SELECT * FROM dllb.query($$DEFINE FIELD f ON cmp_x COMPUTED 1; DEFINE INDEX cmp_x_f ON cmp_x FIELDS f$$);
-- TYPE object / array / option<object>: other values are refused (they were
-- stored as they came); a nested SET inside a typed object field
SELECT * FROM dllb.query($$DEFINE FIELD o ON tobj TYPE object; DEFINE FIELD a ON tobj TYPE array;
  DEFINE FIELD oo ON tobj TYPE option<object>; CREATE tobj:1 SET o.x.y = 1, a = [1];
  UPDATE tobj:1 SET o.z = true, oo = {k: 'v'}; UPDATE tobj:1 SET oo = NONE$$) WHERE stmt > 3;
SELECT * FROM dllb.query($$UPDATE tobj:1 SET o = 'text'$$);
SELECT * FROM dllb.query($$UPDATE tobj:1 SET a = {}$$);
SELECT * FROM dllb.query($$UPDATE tobj:1 SET oo = 1$$);
SELECT count(*) FROM dllb.query('REMOVE TABLE tobj');
