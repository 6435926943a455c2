-- Graph paths give one entry per path, in the order of the paths' edges
-- (edge ids, hop after hop), as SurrealQL does; datetime literals are
-- shown in UTC.
SELECT * FROM dllb.query($$CREATE pth:a SET name = 'A'; CREATE pth:b SET name = 'B';
  CREATE pth:c SET name = 'C'; CREATE pth:d SET name = 'D';
  RELATE pth:a->pth_k:e2->pth:c SET since = d'2021-05-01';
  RELATE pth:a->pth_k:e1->pth:b SET since = d'2020-01-01T10:00:00+02:00';
  RELATE pth:b->pth_k:e3->pth:d; RELATE pth:c->pth_k:e4->pth:d; RELATE pth:c->pth_k:e5->pth:b;
  RETURN pth:a->pth_k->pth;
  RETURN pth:a->pth_k->pth->pth_k->pth;
  RETURN pth:a->pth_k->pth->pth_k->pth.name;
  RETURN pth:a->pth_k.since;
  RETURN count(pth:a->pth_k->pth->pth_k->pth);
  RETURN pth:d<-pth_k<-pth<-pth_k<-pth$$) WHERE stmt > 9;
-- a recursion still reaches a set, in record order
SELECT * FROM dllb.query($$RETURN pth:a.{1..2+collect}->pth_k->pth$$);
SELECT * FROM dllb.query($$RETURN d'2024-02-03'; RETURN d'2024-02-03T04:05:06.250+01:00'$$);
SELECT * FROM dllb.query($$RETURN d'not a date'$$);
-- a.*.b: b of each element of the array a (or each value of the object
-- a), through record links too; refused where it would name a field
SELECT * FROM dllb.query($$CREATE pst:1 SET marks = [{mark: 40}, {mark: 45}], o = {a: {v: 1}, b: {v: 2}}, who = [pth:a];
  CREATE pst:2 SET marks = [{mark: 50}];
  SELECT VALUE id FROM pst WHERE marks.*.mark CONTAINS 40;
  SELECT marks.*.mark AS m, o.*.v AS ov, who.*.name AS names FROM pst ORDER BY id$$) WHERE stmt > 2;
SELECT * FROM dllb.query($$SELECT marks.*.mark FROM pst$$);
SELECT * FROM dllb.query($$SELECT * FROM pst SPLIT marks.*.mark$$);
SELECT dllb.surql_parse($$SELECT VALUE a.*.b.*.c FROM t WHERE 1 INSIDE a.*.b$$);
SELECT * FROM dllb.query($$REMOVE TABLE pst; REMOVE TABLE pth_k; REMOVE TABLE pth$$);

-- a destructured field a.{x, y} without AS is named a (and a graph path's
-- destructuring nests under its steps)
SELECT * FROM dllb.query($$CREATE dtag:rs SET name = 'Rust', rank = 1; CREATE dtag:go SET name = 'Go', rank = 2;
  CREATE dperson:ann SET tags = [dtag:rs, dtag:go]; RELATE dperson:ann->dlikes->dtag:go RETURN NONE;
  SELECT tags.{id, name} FROM dperson; SELECT tags.{name} AS t, ->dlikes->dtag.{name} FROM dperson$$);
SELECT count(*) FROM dllb.query('REMOVE TABLE dtag; REMOVE TABLE dperson; REMOVE TABLE dlikes');
-- ->e->t.* nests under the steps alone; INFO shows a regex bare
SELECT * FROM dllb.query($$CREATE dnode:1 SET n = 1; CREATE dnode:2 SET n = 2;
  RELATE dnode:1->dlink->dnode:2 RETURN NONE; SELECT ->dlink->dnode.* FROM dnode:1;
  DEFINE FIELD code ON dcode ASSERT $value = /^[A-Z]{2}$/; INFO FOR TABLE dcode$$);
SELECT count(*) FROM dllb.query('REMOVE TABLE dnode; REMOVE TABLE dlink; REMOVE TABLE dcode');
-- SELECT VALUE f OMIT g: f read from the record without g
SELECT * FROM dllb.query($$CREATE domit:a SET name = 'x', age = 2, opts = {age: 21, nested: {data: 't'}, s: 1} RETURN NONE;
  SELECT VALUE name OMIT name FROM domit; SELECT VALUE age OMIT name FROM domit;
  SELECT VALUE opts OMIT opts.age, opts.nested.data FROM domit:a$$);
SELECT count(*) FROM dllb.query('REMOVE TABLE domit');
